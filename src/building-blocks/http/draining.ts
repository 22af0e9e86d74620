import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a shutdown waits for kept-alive connections to bring their next request. */
export const DRAIN_MS = 1_000;

/**
 * What a shutdown does with the connections, instead of Node.js's `server.close()` closing
 * every idle kept-alive connection at once: a client may have sent its next request on one
 * of them, not read yet, and closing a socket with unread input resets it (the client sees
 * ECONNRESET for a request it cannot know was not run; a proxy answers 502).
 *
 * The returned function, run once shutdown has begun (every answer then says
 * `Connection: close`): stops taking new connections; waits up to `drainMs` while the open
 * ones bring their next request, get their answer and close; then destroys those with no
 * answer under way (idle, or a request not fully received: nothing of it has run). What is
 * left are requests being answered, which Fastify's close waits for.
 */
export function drainConnections(server: Server, { drainMs = DRAIN_MS } = {}) {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return async (): Promise<void> => {
    // The listening socket only (`http.Server.close` would also close the idle connections):
    // a load balancer's new connections are refused and go to another instance.
    NetServer.prototype.close.call(server);
    const deadline = Date.now() + drainMs;
    while (open.size > 0 && Date.now() < deadline) await sleep(10);
    for (const socket of open) {
      // Node.js's own `closeIdleConnections` reads the same field: the answer being written.
      const answering = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (!answering) socket.destroy();
    }
  };
}
