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
import type {
  FastifyInstance,
  FastifyRequest,
  onResponseHookHandler,
  preHandlerHookHandler,
} from 'fastify';
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

/** Hooks for the not-found handler, which no `onRoute` hook sees (Fastify's 404 route). */
export interface NotFoundHooks {
  preHandler: preHandlerHookHandler;
}

/**
 * One histogram observation per request, labelled with the route's template. Each route gets
 * an `onResponse` hook of its own that knows its template and keeps its label sets; a request
 * no route matched is counted as `unmatched` when the not-found handler takes it, so its
 * duration leaves out the sending of its answer (Fastify lets that handler have only
 * `preValidation` and `preHandler` hooks; the answer is always the same small 404). One hook
 * for every request would have to read `request.routeOptions`, which builds an object of a
 * dozen fields on each call (with a new label object per request, a sixth of the CPU of a
 * small GET).
 */
export function measureRequests(app: FastifyInstance, metrics: Metrics): NotFoundHooks {
  const observers = new WeakSet<onResponseHookHandler>();
  app.addHook('onRoute', (route) => {
    const hooks = route.onResponse === undefined ? [] : [route.onResponse].flat();
    // A HEAD route Fastify adds for a GET one comes with a copy of its hooks.
    if (hooks.some((hook) => observers.has(hook))) return;
    const observe = requestObserver(metrics, route.url);
    observers.add(observe);
    route.onResponse = [...hooks, observe];
  });
  const unmatched = requestObserver(metrics, UNMATCHED_ROUTE);
  return {
    preHandler: (request, reply, done) => {
      reply.status(404);
      unmatched.call(app, request, reply, done);
    },
  };
}

function requestObserver(metrics: Metrics, route: string): onResponseHookHandler {
  const observers = new Map<string, Map<number, (seconds: number) => void>>();
  return (request, reply, done) => {
    const { method } = request;
    const status = reply.statusCode;
    let ofMethod = observers.get(method);
    if (!ofMethod) {
      ofMethod = new Map();
      observers.set(method, ofMethod);
    }
    let observe = ofMethod.get(status);
    if (!observe) {
      observe = metrics.httpRequests.series({ method, route, status_code: status });
      ofMethod.set(status, observe);
    }
    observe(reply.elapsedTime / 1000);
    done();
  };
}
