import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { problem } from './problem-details.ts';

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
  const securityLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const body = JSON.stringify(problemFor(error.code));
      const { status, title } = JSON.parse(body) as { status: number; title: string };
      socket.write(
        `HTTP/1.1 ${status} ${title}\r\n` +
          'Content-Type: application/problem+json\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${randomUUID()}\r\n` +
          securityLines +
          'Connection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy(error);
  };
}

/**
 * A request with an `Expect` header other than `100-continue`, which Node.js would answer
 * with a bare 417 before any route (RFC 9110 §10.1.1): the same answer, as a problem document.
 */
export function unmetExpectationHandler(headers: Readonly<Record<string, string>>) {
  return (_request: IncomingMessage, response: ServerResponse): void => {
    const body = JSON.stringify(
      problem(
        417,
        'expectation-failed',
        'Expectation failed',
        'The only expectation the service meets is Expect: 100-continue.',
      ),
    );
    response
      .writeHead(417, {
        ...headers,
        'content-type': 'application/problem+json',
        'content-length': Buffer.byteLength(body),
        'x-request-id': randomUUID(),
        connection: 'close',
      })
      .end(body);
  };
}
