import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastJsonStringify from 'fast-json-stringify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type preHandlerHookHandler,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { type ZodType, z } from 'zod';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import { DomainError } from '../domain/domain-error.ts';
import { inSeconds } from '../domain/in-seconds.ts';
import {
  BODY_METHODS,
  BodyError,
  formPairs,
  rejectEncodedBodies,
  strictUtf8,
} from './body-encoding.ts';
import { clientErrorHandler, connectHandler, refuseUnservableRequests } from './client-errors.ts';
import { drainConnections } from './draining.ts';
import {
  allowCrossOrigin,
  dataHeaders,
  type HttpEdgeOptions,
  PAGE_HEADERS,
  secureEdge,
  serverTimeouts,
  swaggerUiCsp,
} from './http-edge.ts';
import { acceptJsonBodies } from './json-body.ts';
import {
  type LogFormat,
  lazyRequestLogger,
  logController,
  loggerOptions,
  logIncomingRequest,
} from './logging.ts';
import { openApiOptions } from './openapi-document.ts';
import { boundPipelining } from './pipelining.ts';
import { problem, toProblem } from './problem-details.ts';
import { problemTypesRoute } from './problem-types-route.ts';
import { sharedOrLocalCounts } from './rate-limit-store.ts';
import { addStandardResponses } from './standard-responses.ts';

export type HttpServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Where the interactive documentation (Swagger UI) is served. */
const DOCS = '/docs';

/** When a client may try again after a 503: a lost connection is replaced within a second or so. */
const RETRY_AFTER_SECONDS = '1';

export interface HttpServerOptions {
  logLevel: string;
  logFormat: LogFormat;
  bodyLimit: number;
  version: string;
  /** Whose X-Forwarded-For decides `request.ip` (see `TrustProxy` in config.ts). */
  trustProxy: boolean | string[];
  /** Timeouts, connection limit, security headers, CORS. */
  edge: HttpEdgeOptions;
  /** Where the per-address rate limit keeps its counters so processes share them (ioredis), under keys that start with `namespace`. */
  rateLimitStore?: { redis: Redis; namespace: string } | undefined;
  /** Every log line written inside a span carries its `trace_id` and `span_id`. */
  traceIdsInLogs?: boolean;
  /** Tests: where the log's lines go instead of stdout (JSON lines: not with `pretty`). */
  logStream?: { write(line: string): void } | undefined;
  /**
   * Adds hooks that watch every request (spans, metrics), before any route is added; may
   * give hooks for the not-found handler, which no route hook reaches.
   */
  instrument?: (app: FastifyInstance) => { preHandler: preHandlerHookHandler } | undefined;
}

/**
 * Responses are written by fast-json-stringify from the JSON Schema of the route's Zod
 * response schema: the same schema that documents the response decides which fields leave
 * the service (an allow-list), and writing is several times faster than validating with
 * Zod and then calling JSON.stringify.
 */
function compileSerializer(schema: ZodType): (data: unknown) => string {
  const jsonSchema = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'output',
    unrepresentable: 'any',
  });
  return fastJsonStringify(forWriting(jsonSchema) as Parameters<typeof fastJsonStringify>[0]);
}

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
/** Keywords that only validate: a serializer that honours them checks every value it writes. */
const VALIDATION_ONLY = new Set([
  'format',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
]);

/**
 * The schema a serializer needs: the same fields and types, without validation keywords, and
 * `T | null` as a type list rather than `anyOf` (fast-json-stringify runs a validator on
 * every value to pick an `anyOf` branch: a nullable timestamp cost a date-time check and a
 * long regular expression per task written).
 */
export function forWriting(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forWriting);
  if (typeof schema !== 'object' || schema === null) return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (VALIDATION_ONLY.has(key)) continue;
    // The keys of `properties` (and of definitions) are field names, not keywords.
    result[key] = SCHEMA_MAPS.has(key)
      ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, forWriting(s)]))
      : forWriting(value);
  }
  const [first, second, ...rest] = (result.anyOf as Record<string, unknown>[] | undefined) ?? [];
  const onlyType = (s: Record<string, unknown> | undefined) =>
    s !== undefined && Object.keys(s).length === 1 && typeof s.type === 'string';
  if (rest.length === 0 && onlyType(first) && second?.type === 'null' && onlyType(second)) {
    delete result.anyOf;
    result.type = [first?.type, 'null'];
  }
  return result;
}

const REPEATED_PARAMETER = new BodyError(
  'REPEATED_PARAMETER',
  400,
  'The form sends a parameter more than once: send each once (RFC 6749 §3.2).',
);

/**
 * OAuth2's password flow posts `application/x-www-form-urlencoded`. A route context that
 * accepts it registers this parser; ten lines beat a plugin.
 */
export function acceptFormBodies(app: HttpServer): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_request, body, done) => {
      const text = strictUtf8(body as Buffer);
      if (text instanceof Error) return done(text);
      const pairs = formPairs(text);
      if (pairs instanceof Error) return done(pairs);
      // RFC 6749 §3.2: a parameter is sent once. A repeated one is refused (400, as OAuth's
      // `invalid_request`), rather than one of its values chosen silently.
      const fields = new Map<string, string>();
      for (const [name, value] of pairs) {
        if (fields.has(name)) return done(REPEATED_PARAMETER);
        fields.set(name, value);
      }
      done(null, Object.fromEntries(fields));
    },
  );
}

/**
 * Fastify set up once for every context: Zod as the one source of validation, types and
 * OpenAPI; problem documents for every error; request ids in the logs and the response.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const securityHeaders = dataHeaders(options.edge);
  const timeouts = serverTimeouts(options.edge);
  const app = Fastify({
    logger: {
      ...loggerOptions(options.logLevel, options.logFormat, options.traceIdsInLogs ?? false),
      ...(options.logStream && { stream: options.logStream }),
    },
    logController: logController(options.logFormat, options.traceIdsInLogs),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    ...timeouts,
    // Node.js would answer an HTTP/1.1 request without Host itself, bare: see
    // refuseUnservableRequests.
    http: { ...timeouts.http, requireHostHeader: false },
    // A caller's X-Request-Id is kept when it looks like an id (it ends up in the logs);
    // otherwise the request gets a fresh UUID.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Path parameters are checked by the route schemas; this only bounds their length.
    routerOptions: { maxParamLength: 100 },
    // Errors met before a route is found (a URL that is not valid percent-encoding, ...)
    // and those of the HTTP parser are problem documents like every other.
    frameworkErrors: (error, request, reply) => {
      // No route context here, so no hooks: the request id is added by hand.
      const body = toProblem(error);
      (reply as FastifyReply)
        .status(body.status)
        .headers(securityHeaders)
        .header('x-request-id', request.id);
      if (request.headers.authorization !== undefined) reply.header('cache-control', 'no-store');
      (reply as FastifyReply).type('application/problem+json').send(JSON.stringify(body));
    },
    return503OnClosing: false,
    clientErrorHandler: clientErrorHandler(securityHeaders),
  }).withTypeProvider<ZodTypeProvider>();

  const notFoundHooks = options.instrument?.(app);
  if (options.traceIdsInLogs && options.logFormat === 'json') {
    app.addHook('onRequest', logIncomingRequest);
  }

  // Every route, whichever context adds it, documents the errors it can give for any request.
  app.addHook('onRoute', addStandardResponses);

  app.setValidatorCompiler(validatorCompiler);
  // Routes share schemas (every route's problem responses are one `ProblemDocument`): one
  // serializer per schema, not one per route and status (105 compilations, ~130 ms of start-up).
  const serializers = new WeakMap<ZodType, (data: unknown) => string>();
  app.setSerializerCompiler(({ schema }) => {
    let serializer = serializers.get(schema as ZodType);
    if (!serializer) {
      serializer = compileSerializer(schema as ZodType);
      serializers.set(schema as ZodType, serializer);
    }
    return serializer;
  });

  acceptJsonBodies(app);
  // Only routes that take a body read one: a hook for every request would run on every GET.
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().some((method) => BODY_METHODS.has(method))) return;
    const hooks = route.preParsing === undefined ? [] : [route.preParsing].flat();
    route.preParsing = [...hooks, rejectEncodedBodies];
  });

  // JSON is the only body most routes take: anything else is a 415 (the login route adds
  // the form parser it needs, see acceptFormBodies).
  app.removeContentTypeParser('text/plain');

  // Every response names its request. Once shutdown has begun, every response (including
  // those of requests that were already in flight) carries `Connection: close`, so keep-alive
  // connections end instead of holding the shutdown up; those that bring no request in time
  // are closed (see drainConnections).
  let closing = false;
  const drain = drainConnections(app.server);
  app.addHook('preClose', async () => {
    closing = true;
    await drain();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error);
    if (error instanceof DatabaseUnavailable) {
      // Not a fault of this code: one line, no stack, for each request it failed. Only a
      // request that certainly changed nothing is worth sending again as it is.
      const cause = (error.cause as Error | undefined)?.message;
      request.log.warn(
        { store: error.store, cause, nothingWritten: error.nothingWritten },
        'store unavailable',
      );
      if (error.nothingWritten) reply.header('retry-after', RETRY_AFTER_SECONDS);
    } else if (body.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    if (body.status === 401) reply.header('www-authenticate', 'Bearer realm="api"');
    if (error instanceof DomainError && error.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(error.retryAfterSeconds));
    }
    return reply.status(body.status).type('application/problem+json').send(body);
  });

  app.setNotFoundHandler(notFoundHooks ?? {}, (request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(
        problem(
          404,
          'not-found',
          'Not found',
          `There is no route ${request.method} ${request.url}.`,
        ),
      ),
  );

  secureEdge(app, options.edge, securityHeaders);
  // After the security headers' hook (refusals carry them too), before CORS (a preflight is
  // refused like any other request).
  refuseUnservableRequests(app, () => closing, RETRY_AFTER_SECONDS);
  await allowCrossOrigin(app, options.edge);
  app.server.on('connect', connectHandler(securityHeaders));
  boundPipelining(app.server);

  // Of its headers, the one the API promises: Retry-After on a 429 (no X-RateLimit-* on
  // every answer, which no client of this API reads and the OpenAPI document would have to list).
  const noCounts = {
    'x-ratelimit-limit': false,
    'x-ratelimit-remaining': false,
    'x-ratelimit-reset': false,
  };
  await app.register(rateLimit, {
    global: false,
    addHeadersOnExceeding: noCounts,
    addHeaders: { ...noCounts, 'retry-after': true },
    ...(options.rateLimitStore !== undefined && {
      store: sharedOrLocalCounts(
        options.rateLimitStore.redis,
        `${options.rateLimitStore.namespace}:rate-limit:`,
      ),
    }),
    errorResponseBuilder: (_request, context) => {
      const error = new Error(
        `Too many attempts. Try again in ${inSeconds(Math.ceil(context.ttl / 1000))}`,
      ) as Error & { statusCode: number };
      error.statusCode = 429;
      return error;
    },
  });

  await app.register(swagger, openApiOptions(options.version));
  await app.register(swaggerUi, {
    routePrefix: DOCS,
    ...swaggerUiCsp,
    uiHooks: {
      onRequest: (request, reply, done) => {
        reply.headers(PAGE_HEADERS);
        // The plugin's own redirect of this page keeps a query string's URL as it is (to
        // itself, for ever) and the host of an absolute-form request line: this one goes to
        // the documentation's page, on this host.
        if (request.routeOptions.url === `${DOCS}/static/index.html`) {
          reply.redirect(`${DOCS}/`);
          return;
        }
        done();
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(problemTypesRoute);

  return app;
}
