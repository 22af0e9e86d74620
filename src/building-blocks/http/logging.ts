import { trace } from '@opentelemetry/api';
import {
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilent, Logger } from 'pino';

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
 * two JSON objects ("incoming request", "request completed"); JSON keeps Fastify's own. While
 * tracing, Fastify would write "incoming request" before any hook, so outside the request's
 * span: `logIncomingRequest`, a hook after the span's, writes it instead.
 */
export function logController(format: LogFormat, traced = false): LogController | undefined {
  if (format === 'pretty') return new OneLinePerRequest();
  return traced ? new IncomingLineFromHook() : undefined;
}

class IncomingLineFromHook extends LogController {
  override incomingRequest(): void {}
}

/** Fastify's "incoming request" line, as an `onRequest` hook (see `logController`). */
export function logIncomingRequest(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: () => void,
): void {
  request.log.info({ req: request }, 'incoming request');
  done();
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

/**
 * Fastify's `childLoggerFactory`: each request's logger (bound to its id) is made when a line
 * of a level that is written is first logged, not for every request. At `LOG_LEVEL=warn` (or
 * above: Fastify's two lines per request are `info`) most requests write nothing, and pino's
 * child cost ~0.6 µs of a small GET; at `info` every request still gets its child.
 */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  // Options of its own (a route's level or serializers) are the child's from the start.
  if (Object.keys(options).length > 0) return logger.child(bindings, options);
  return new RequestLogger(logger, bindings);
}

class RequestLogger implements FastifyBaseLogger {
  /** The service's logger, pino (see `loggerOptions`), whose own test of a level is used. */
  readonly #parent: FastifyBaseLogger & Pick<Logger, 'isLevelEnabled'>;
  readonly #bindings: Bindings;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings) {
    this.#parent = parent as FastifyBaseLogger & Pick<Logger, 'isLevelEnabled'>;
    this.#bindings = bindings;
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#logger().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger().child(bindings, options);
  }

  // Methods, not fields: nothing is made per request but the object itself.
  fatal(...line: unknown[]): void {
    this.#write('fatal', line);
  }
  error(...line: unknown[]): void {
    this.#write('error', line);
  }
  warn(...line: unknown[]): void {
    this.#write('warn', line);
  }
  info(...line: unknown[]): void {
    this.#write('info', line);
  }
  debug(...line: unknown[]): void {
    this.#write('debug', line);
  }
  trace(...line: unknown[]): void {
    this.#write('trace', line);
  }
  silent(): void {}

  #write(level: Exclude<LevelWithSilent, 'silent'>, line: unknown[]): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return;
    (this.#logger()[level] as (...args: unknown[]) => void)(...line);
  }

  #logger(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }
}
