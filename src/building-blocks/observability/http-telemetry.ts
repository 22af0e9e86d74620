import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's trace context (its server span), while tracing is on. */
    traceContext: Context | null;
  }
}

/** The route label of a request no route matched (404s): never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Who made an authenticated request, for the span: the user id, never the token. */
export type UserIdOf = (request: FastifyRequest) => string | undefined;

/**
 * A server span per request: a child of the caller's `traceparent` when it sent one, named
 * after the route's template once it is known (`POST /api/projects/:projectId/tasks`), with
 * the status and the user id. No header goes into it (the token, cookies), nor the query
 * string. The span is made the active context in the hooks and the handler, so the command,
 * SQL and log lines of the request belong to it.
 *
 * A body is read after `onRequest` hooks, from the socket's events, outside the context they
 * set: so `preHandler` enters it again, as `onResponse` does for Fastify's "request
 * completed" log line.
 */
export function traceRequests(app: FastifyInstance, tracer: Tracer, userIdOf: UserIdOf): void {
  app.decorateRequest('traceContext', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?', 1)[0] as string,
          'client.address': request.ip,
          'taskflow.request_id': request.id,
        },
      },
      parent,
    );
    request.traceContext = trace.setSpan(parent, span);
    context.with(request.traceContext, done);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.traceContext) context.with(request.traceContext, done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const traced = request.traceContext;
    const span = traced && trace.getSpan(traced);
    if (!traced || !span) return done();
    const route = request.routeOptions.url;
    if (route !== undefined) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', reply.statusCode);
    const userId = request.caller === null ? undefined : userIdOf(request);
    if (userId !== undefined) span.setAttribute('user.id', userId);
    if (reply.statusCode >= 500) {
      span.setAttribute('error.type', String(reply.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    context.with(traced, done);
    span.end();
  });
}

/** One histogram observation per request, labelled with the route's template. */
export function measureRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_code: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
