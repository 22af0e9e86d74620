import { randomUUID } from 'node:crypto';
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
 * Fastify's `clientErrorHandler`: a request the HTTP parser cannot read never reaches a route,
 * so the answer is written to the socket here, still as a problem document, and the
 * connection is closed (its framing can no longer be trusted).
 */
export function sendClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const body = JSON.stringify(problemFor(error.code));
    const { status, title } = JSON.parse(body) as { status: number; title: string };
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${randomUUID()}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
