import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** What the HTTP server allows a client before it stops listening to it, and what it tells browsers. */
export interface HttpEdgeOptions {
  /** The whole request, headers and body, must arrive within this time (else 408, closed). */
  requestTimeoutMs: number;
  /** The headers must arrive within this time; never longer than the request timeout. */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic at all for this long is destroyed. */
  connectionTimeoutMs: number;
  /** Connections beyond this number are refused at accept. */
  maxConnections: number;
  /** Origins allowed to call the API from a browser; empty: CORS stays off. */
  corsOrigins: string[];
  /** `Strict-Transport-Security: max-age=...` when above 0 (the service is reached by HTTPS). */
  hstsMaxAgeSeconds: number;
}

/**
 * Node checks the request and header deadlines only every `connectionsCheckingInterval`
 * (30 s by default), so a slow client could outlive its deadline by that much: check each second.
 */
const DEADLINE_CHECK_INTERVAL_MS = 1000;

/** The timeouts, as Fastify's constructor takes them. */
export function serverTimeouts(edge: HttpEdgeOptions): {
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionTimeout: number;
  http: ServerOptions;
} {
  const requestTimeout = edge.requestTimeoutMs;
  return {
    requestTimeout,
    keepAliveTimeout: edge.keepAliveTimeoutMs,
    connectionTimeout: edge.connectionTimeoutMs,
    http: {
      requestTimeout,
      headersTimeout: Math.min(edge.headersTimeoutMs, requestTimeout),
      connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS,
    },
  };
}

/** The API's own responses are data, never a page: nothing may run, load or frame them. */
const API_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/**
 * Swagger UI's own policy (its scripts and styles by hash, frames from the same origin only),
 * without `upgrade-insecure-requests`: over plain HTTP (development) it would send the page's
 * own scripts to an https:// address that does not answer.
 */
export const swaggerUiCsp = {
  staticCSP: true,
  transformStaticCSP: (header: string) =>
    header.replace(/\s*upgrade-insecure-requests;?/, '').trim(),
};

/**
 * Of the headers helmet sets, those that mean something for a response that is data, not a
 * page (OWASP's REST Security Cheat Sheet): every response carries them.
 */
const DATA_HEADERS = new Set([
  'content-security-policy',
  'cross-origin-resource-policy',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
]);

/**
 * The rest of helmet's headers, which only a page a browser renders heeds (opener isolation,
 * origin-keyed agent clusters, DNS prefetching, old Internet Explorer's download and XSS
 * filters, Flash's cross-domain policies): the web client's page and /docs add them. They do
 * not depend on the service's settings.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = securityHeaders({}).page;

/**
 * The security headers every response of the API carries (helmet's, those that fit data), for
 * these settings. Also written by hand on the answers to requests that never reach a route
 * (see client-errors.ts).
 */
export function dataHeaders(edge: HttpEdgeOptions): Readonly<Record<string, string>> {
  return securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    // A cross-origin client is allowed by CORS (when configured), not by CORP.
    crossOriginResourcePolicy: {
      policy: edge.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin',
    },
    referrerPolicy: { policy: 'no-referrer' },
    // What `frame-ancestors 'none'` says, for browsers that only know the older header.
    frameguard: { action: 'deny' },
    strictTransportSecurity:
      edge.hstsMaxAgeSeconds > 0
        ? { maxAge: edge.hstsMaxAgeSeconds, includeSubDomains: true }
        : false,
  }).data;
}

/**
 * Security headers on every response (helmet's, those that fit data), CORS only for the
 * configured origins, no caching of anything a request with credentials got back, and a
 * bounded number of connections.
 */
export function secureEdge(
  app: FastifyInstance,
  edge: HttpEdgeOptions,
  /** `dataHeaders(edge)`, worked out once by the caller, who also writes them by hand. */
  headers: Readonly<Record<string, string>>,
): void {
  app.server.maxConnections = edge.maxConnections;
  // A response to a request that carried credentials is that user's: no shared or browser
  // cache may keep it (RFC 6749 §5.1 asks the same of the token response, which sets it itself).
  // Set before the route runs, so a route that says otherwise for its own answer may.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    if (request.headers.authorization !== undefined) reply.header('cache-control', 'no-store');
    done();
  });
}

/**
 * CORS for the configured origins only (`CORS_ORIGINS`; none by default). Registered after
 * the hooks that refuse a request outright, so a preflight is refused like any request.
 */
export async function allowCrossOrigin(app: FastifyInstance, edge: HttpEdgeOptions): Promise<void> {
  if (edge.corsOrigins.length === 0) return;
  const options = {
    origin: edge.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    // Every header a client of this API reads besides the body: the ETag it sends back in
    // If-Match, the next page's Link, whether an Idempotency-Key replayed an answer.
    exposedHeaders: [
      'Location',
      'Retry-After',
      'X-Request-Id',
      'WWW-Authenticate',
      'ETag',
      'Link',
      'Idempotent-Replayed',
    ],
    maxAge: 600,
  };
  // The plugin answers an OPTIONS request that is not a preflight with a bare
  // `400 Invalid Preflight Request` in text/plain; with preflight handling off for such a
  // request, it reaches the plugin's OPTIONS route, which answers the 404 problem document
  // any method without a route gets (as it does with CORS off).
  const notPreflight = { ...options, preflight: false };
  await app.register(cors, {
    delegator: (request, callback) => callback(null, isPreflight(request) ? options : notPreflight),
  });
}

/** A CORS preflight (Fetch standard): an OPTIONS request naming its origin and the method to come. */
function isPreflight(request: FastifyRequest): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  );
}

type HeaderSet = Record<string, string>;

/**
 * The headers helmet sets for these options, worked out once (the same options give the same
 * headers on every response, and helmet's Fastify plugin builds its middleware again for each
 * request: a tenth of the CPU of a small GET), split into those that fit data and the rest.
 */
function securityHeaders(options: HelmetOptions): { data: HeaderSet; page: HeaderSet } {
  const headers: HeaderSet = {};
  const recorder = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  const split = { data: {} as HeaderSet, page: {} as HeaderSet };
  for (const [name, value] of Object.entries(headers)) {
    split[DATA_HEADERS.has(name) ? 'data' : 'page'][name] = value;
  }
  return split;
}
