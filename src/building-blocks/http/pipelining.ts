import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How many answers may wait on one connection behind the one being written.
 *
 * HTTP/1.1 lets a client send requests ahead without waiting for the answers (pipelining).
 * Node.js parses every request of a chunk it reads at once (64 KiB: some 1,500 small GETs)
 * and hands each to the app, and the answers wait in memory, in order, until the client
 * reads them. A thousand connections that pipelined and never read filled the 1 GB heap
 * within seconds, and the process died. Browsers do not pipeline, and proxies that do send
 * a few requests ahead, not hundreds: a connection that goes past this is destroyed.
 */
export const MAX_QUEUED_ANSWERS = 8;

/** Node.js's HTTP parser of a connection: what it calls with each request whose head it read. */
interface ParsingSocket extends Socket {
  parser?: { onIncoming?: (request: IncomingMessage, keepAlive: boolean) => number };
}

/**
 * Holds each connection of `server` to `MAX_QUEUED_ANSWERS`. A request whose answer can be
 * written at once (every request of a client that waits for its answers) costs one comparison.
 */
export function boundPipelining(server: Server): void {
  const queued = new WeakMap<Socket, number>();
  // Before the app's listener: the request that goes past the limit ends its connection.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    // Node.js gives an answer its socket at once, unless an earlier one is still being written.
    if (response.socket !== null) return;
    const socket = request.socket;
    const waiting = (queued.get(socket) ?? 0) + 1;
    if (waiting > MAX_QUEUED_ANSWERS) {
      socket.destroy();
      return;
    }
    queued.set(socket, waiting);
    response.once('socket', () => queued.set(socket, (queued.get(socket) ?? 1) - 1));
  });
  // A destroyed socket closes on a later turn, and until then Node.js goes on parsing the
  // chunk it read, making an answer for every request in it, each kept until the close: the
  // requests after the limit are dropped before Node.js makes their answers.
  server.on('connection', (socket: ParsingSocket) => {
    const parser = socket.parser;
    const onIncoming = parser?.onIncoming;
    if (!parser || !onIncoming) return;
    parser.onIncoming = (request, keepAlive) =>
      socket.destroyed ? 0 : onIncoming(request, keepAlive);
  });
}
