import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

/** A server whose answers take `delayMs`, bounded, listening; and its side of each connection. */
async function slowServer(
  delayMs: number,
  { lingerMs = 5_000, onRequest = (_response: object) => {} } = {},
) {
  const server = createServer((_request, response) => {
    onRequest(response);
    setTimeout(() => response.end('ok'), delayMs);
  });
  boundPipelining(server, { lingerMs });
  const connections: Socket[] = [];
  server.on('connection', (socket: Socket) => connections.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  let received = '';
  client.on('data', (chunk) => {
    received += chunk;
  });
  await once(client, 'connect');
  return { server, client, connections, answers: () => received.split('HTTP/1.1 200').length - 1 };
}

const closed = (server: Server) => new Promise((resolve) => server.close(resolve));
const pipelined = (count: number) => 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(count);

test('past the limit, nothing more is read while the answers taken are written: requests sent on cost no parsing', async () => {
  const { server, client, connections, answers } = await slowServer(400);
  try {
    client.write(pipelined(MAX_QUEUED_ANSWERS + 2));
    await sleep(50);
    const readBeforeTheRest = connections[0]?.bytesRead ?? 0;
    client.write('GET /more HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(30_000)); // ~1 MB
    await sleep(200);
    expect(connections[0]?.bytesRead).toBe(readBeforeTheRest);

    await once(client, 'end');
    expect(answers()).toBe(MAX_QUEUED_ANSWERS + 1);
  } finally {
    client.destroy();
    await closed(server);
  }
});

test('a client that goes on sending and never reads is closed a moment after its answers, and they reach it all the same', async () => {
  const { server, client, connections, answers } = await slowServer(50, { lingerMs: 600 });
  client.pause(); // reads nothing, so never sees the server's end either
  // It sends on after its answers are written, then stops before the server gives up on it
  // (what it sent after the server closed would be answered with a reset, losing the answers
  // it has not read: the reason for the lingering close).
  const trickle = setInterval(() => client.write(pipelined(1)), 50);
  setTimeout(() => clearInterval(trickle), 300);
  try {
    client.write(pipelined(MAX_QUEUED_ANSWERS + 2));
    await sleep(100);
    const serverSide = connections[0] as Socket;
    const started = performance.now();
    if (!serverSide.destroyed) await once(serverSide, 'close');
    expect(performance.now() - started).toBeLessThan(2_000);

    client.resume();
    await once(client, 'end');
    expect(answers()).toBe(MAX_QUEUED_ANSWERS + 1);
  } finally {
    clearInterval(trickle);
    client.destroy();
    await closed(server);
  }
});

test('an answer is not kept once written, for as long as its keep-alive connection lives', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const responses: WeakRef<object>[] = [];
  const { server, client, answers } = await slowServer(10, {
    onRequest: (response) => responses.push(new WeakRef(response)),
  });
  try {
    // Within the limit: every answer is written, and the connection stays open.
    client.write(pipelined(5));
    while (answers() < 5) await sleep(10);
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(20);
    }
    expect(client.destroyed).toBe(false);
    expect(responses.filter((response) => response.deref() !== undefined)).toEqual([]);
  } finally {
    client.destroy();
    await closed(server);
  }
});
