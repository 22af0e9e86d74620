import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { expect, test } from 'vitest';
import { boundPipelining, MAX_QUEUED_ANSWERS } from './pipelining.ts';

test('past the limit, a connection gets the answers already taken, then is closed: the requests after them never reach the app', async () => {
  let reachedTheApp = 0;
  const server = createServer((_request, response) => {
    reachedTheApp++;
    // An answer that takes a while, as one read from disk or the database does.
    setTimeout(() => response.end('ok'), 50);
  });
  boundPipelining(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
    });
    await once(socket, 'connect');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(500));
    await once(socket, 'close');

    // The first is being answered and MAX_QUEUED_ANSWERS wait behind it; the next one is not
    // taken, nor any after it. Those taken are all answered before the connection ends.
    expect(reachedTheApp).toBe(MAX_QUEUED_ANSWERS + 1);
    expect(received.split('HTTP/1.1 200 OK').length - 1).toBe(MAX_QUEUED_ANSWERS + 1);
  } finally {
    server.close();
  }
});
