import { trace } from '@opentelemetry/api';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * How the service logs: JSON lines (one object per event, for machines: production, tests, a
 * file or a pipe), or short coloured lines for a person at a terminal (development).
 */
export type LogFormat = 'json' | 'pretty';

const REDACTED = ['req.headers.authorization', 'req.headers.cookie'];

const NO_TRACE = {};

/**
 * Joins a log line to its trace: the ids of the span active where it was written (the
 * request's, a command's, a message handler's), as OpenTelemetry's log data model names them.
 */
export function traceIdsOfActiveSpan(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return NO_TRACE;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Fastify's `logger` option for the format; `traceIds` while tracing is on. */
export function loggerOptions(level: string, format: LogFormat, traceIds = false) {
  const common = { level, redact: REDACTED, ...(traceIds && { mixin: traceIdsOfActiveSpan }) };
  if (format === 'json') return common;
  return {
    ...common,
    // pino's own pretty printer, in a worker thread, so only development loads it.
    transport: {
      target: 'pino-pretty',
      options: {
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,reqId,span_id',
        singleLine: true,
        colorize: true,
      },
    },
  };
}

/**
 * One line per request when pretty (`GET /api/users/me 200 3.1 ms`) instead of Fastify's
 * two JSON objects ("incoming request", "request completed"); JSON keeps Fastify's own.
 */
export function logController(format: LogFormat): LogController | undefined {
  return format === 'pretty' ? new OneLinePerRequest() : undefined;
}

class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = `${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}
