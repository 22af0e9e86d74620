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
 * written at once (every request of a client that waits for its answers) costs a lookup.
 *
 * The decision is taken where Node.js's parser hands over a request (`parser.onIncoming`, an
 * internal of `node:http` that has not changed in years; the unit test fails if it does), so
 * a request past the limit, and every one after it in the chunk being parsed, is dropped
 * before Node.js makes its answer or the app sees it.
 */
export function boundPipelining(server: Server): void {
  const queued = new WeakMap<Socket, number>();
  // Counts the answers that wait: Node.js gives an answer its socket at once, unless an
  // earlier one is still being written; then it gives it when its turn comes.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (response.socket !== null) return;
    const socket = request.socket;
    queued.set(socket, (queued.get(socket) ?? 0) + 1);
    response.once('socket', () => queued.set(socket, (queued.get(socket) ?? 1) - 1));
  });
  server.on('connection', (socket: ParsingSocket) => {
    const parser = socket.parser;
    const onIncoming = parser?.onIncoming;
    if (!parser || !onIncoming) return;
    parser.onIncoming = (request, keepAlive) => {
      if (socket.destroyed) return 0; // the rest of a chunk whose connection was refused
      // With that many waiting, an answer is being written: this one would wait too.
      if ((queued.get(socket) ?? 0) >= MAX_QUEUED_ANSWERS) {
        socket.destroy();
        return 0;
      }
      return onIncoming(request, keepAlive);
    };
  });
}
