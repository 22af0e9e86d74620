import {
  type Context,
  context,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import { DomainError } from '../domain/domain-error.ts';

/**
 * Runs `work` in a new span, the child of `parent` (the active span by default): whatever
 * `work` starts, across its `await`s, is a child of it. A rejection marks it failed.
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  const span = tracer.startSpan(name, options, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work, undefined, span);
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Error status, with the error's type. The message goes with it only when it is one of the
 * service's own (a domain rule, "The database is unavailable."): a driver's or a library's
 * message may quote a value the request sent (`invalid input syntax for type uuid: "..."`).
 * A database error's SQLSTATE code goes instead. No stack trace.
 */
export function markFailed(span: Span, error: unknown): void {
  const type = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  span.setAttribute('error.type', type);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: ownMessage(error)
      ? (error as Error).message
      : typeof code === 'string'
        ? `${type} ${code}`
        : type,
  });
}

function ownMessage(error: unknown): boolean {
  return error instanceof DomainError || error instanceof DatabaseUnavailable;
}
