import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ProblemDocument, problem } from './problem-details.ts';

/** What the HTTP parser's errors mean to a client, by Node's error code. */
function problemFor(code: string | undefined) {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return problem(408, 'request-timeout', 'Request timeout', 'The request took too long to send.');
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return problem(
      431,
      'headers-too-large',
      'Request header fields too large',
      'The request headers are too large: send fewer or shorter ones.',
    );
  }
  if (code === 'HPE_INVALID_CONTENT_LENGTH' || code === 'HPE_INVALID_CHUNK_SIZE') {
    return problem(
      400,
      'malformed-body',
      'Malformed request',
      'The body’s Content-Length or chunked encoding is not valid.',
    );
  }
  return problem(400, 'malformed-request', 'Malformed request', 'The request is not valid HTTP.');
}

/**
 * Fastify's `clientErrorHandler`, given the security headers every answer carries: a request
 * the HTTP parser cannot read never reaches a route, so the answer is written to the socket
 * here, still as a problem document, and the connection is closed (its framing can no longer
 * be trusted).
 */
export function clientErrorHandler(headers: Readonly<Record<string, string>>) {
  const answer = socketAnswer(headers);
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    answer(socket, problemFor(error.code));
    socket.destroy(error);
  };
}

/**
 * A `CONNECT` request (a tunnel, as to a proxy), which Node.js hands over as a bare socket and
 * would otherwise close without a word: no route takes it, so it gets the 404 any other
 * method without a route gets, and the connection is closed.
 */
export function connectHandler(headers: Readonly<Record<string, string>>) {
  const answer = socketAnswer(headers);
  return (request: IncomingMessage, socket: Socket): void => {
    const target = (request.url ?? '').slice(0, 200);
    // Node.js took its own listeners off the socket before handing it over: without this
    // one, a client that resets it would end the process.
    socket.on('error', () => socket.destroy());
    answer(
      socket,
      problem(404, 'not-found', 'Not found', `There is no route ${request.method} ${target}.`),
    );
    // Closed once the answer is written, not half-closed: nothing reads the client's end.
    socket.destroySoon();
  };
}

/** Writes a problem document straight to a socket whose request never reaches a route. */
function socketAnswer(headers: Readonly<Record<string, string>>) {
  const securityLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (socket: Socket, document: ProblemDocument): void => {
    if (!socket.writable) return;
    const body = JSON.stringify(document);
    socket.write(
      `HTTP/1.1 ${document.status} ${document.title}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\n` +
        securityLines +
        'Connection: close\r\n\r\n' +
        body,
    );
  };
}

const SHUTTING_DOWN = problem(
  503,
  'shutting-down',
  'Service unavailable',
  'The service is shutting down. Send the request again.',
);
const NOT_ONE_HOST = problem(
  400,
  'missing-host',
  'Malformed request',
  'An HTTP/1.1 request has exactly one Host header.',
);
const TWO_AUTHORIZATIONS = problem(
  400,
  'repeated-authorization',
  'Malformed request',
  'A request has at most one Authorization header.',
);
const UNMET_EXPECTATION = problem(
  417,
  'expectation-failed',
  'Expectation failed',
  'The only expectation the service meets is Expect: 100-continue.',
);

/** Requests whose `Expect` Node.js found unmet (`checkExpectation`), on their way to a route. */
const unmetExpectations = new WeakSet<IncomingMessage>();

/** The answer to a request the service refuses before its route runs, if it refuses it. */
function refusalOf(request: FastifyRequest, closing: boolean) {
  if (closing) return SHUTTING_DOWN;
  const { raw } = request;
  const { hosts, authorizations } = singletonLines(raw);
  if (hosts !== 1 && !(hosts === 0 && raw.httpVersion !== '1.1')) return NOT_ONE_HOST;
  if (authorizations > 1) return TWO_AUTHORIZATIONS;
  if (request.headers.expect !== undefined && unmetExpectations.has(raw)) return UNMET_EXPECTATION;
  return undefined;
}

/**
 * How many Host and Authorization lines the request has. Node.js keeps the first of several,
 * where a proxy in front may have kept the last: the service would then act for another host
 * or another user than the proxy checked.
 */
function singletonLines({ rawHeaders }: IncomingMessage) {
  let hosts = 0;
  let authorizations = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    else if (name.length === 13 && name.toLowerCase() === 'authorization') authorizations++;
  }
  return { hosts, authorizations };
}

/**
 * Requests answered before any route runs, as problem documents that go through the hooks
 * every answer goes through (security headers, request id, logs, metrics):
 * - every request once shutdown has begun (503, `Retry-After`);
 * - an HTTP/1.1 request without `Host` or with several (400, RFC 9112 §3.2), one with several
 *   `Authorization` headers (400: which user would it act for?), and one with an
 *   `Expect` header other than `100-continue` (417, RFC 9110 §10.1.1): Node.js would answer
 *   the first and the last itself, bare, before Fastify sees them (so the server is created
 *   with `requireHostHeader: false`). Their connection is closed: a body may follow that
 *   nobody will read.
 */
export function refuseUnservableRequests(
  app: FastifyInstance,
  closing: () => boolean,
  retryAfterSeconds: string,
): void {
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    unmetExpectations.add(request);
    app.routing(request, response);
  });
  app.addHook('onRequest', (request, reply, done) => {
    const refusal = refusalOf(request, closing());
    if (refusal === undefined) return done();
    if (refusal.status === 503) reply.header('retry-after', retryAfterSeconds);
    else reply.header('connection', 'close');
    reply.status(refusal.status).type('application/problem+json').send(refusal);
  });
}
