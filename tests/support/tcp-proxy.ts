import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a database, so a test can take the database away
 * (`down()`: every connection ends and new ones are refused, as when the server is stopped)
 * and bring it back (`up()`, on the same port), let it turn every client away (`refuse()`:
 * each connection is ended as soon as it is made, and counted, so a test can wait for a
 * number of attempts instead of for a while), silence the connections open now
 * (`stall()`: nothing passes either way and nobody is told, as in a network partition), or
 * stop answering altogether (`silence()`: the connections open now are stalled, and each new
 * one is accepted and never answered, as by a server, or a proxy in front of it, stopped with
 * SIGSTOP: its kernel still accepts connections).
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  readonly #pairs = new Set<{ client: Socket; upstream: Socket }>();
  #server: Server | undefined;
  #refusing = false;
  #silent = false;
  port = 0;
  /** Connections ended at once while refusing. */
  refused = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** A proxy for the server `url` names (PostgreSQL's port when it names none). */
  static for(url: string, defaultPort = 5432): TcpProxy {
    const target = new URL(url);
    return new TcpProxy({ host: target.hostname, port: Number(target.port || defaultPort) });
  }

  /** `url` with this proxy in place of the server it names (once `up()`). */
  via(url: string): string {
    const via = new URL(url);
    via.hostname = '127.0.0.1';
    via.port = String(this.port);
    return via.toString();
  }

  async up(): Promise<void> {
    this.#refusing = false;
    this.#silent = false;
    if (this.#server) return;
    const server = createServer((client) => {
      if (this.#refusing) {
        this.refused++;
        client.destroy();
        return;
      }
      if (this.#silent) {
        // Never read, never answered; ended by `refuse()` or `down()`.
        this.#track(client, client);
        return;
      }
      const upstream = connect(this.#target.port, this.#target.host);
      this.#track(client, upstream);
      client.pipe(upstream).pipe(client);
      const pair = { client, upstream };
      this.#pairs.add(pair);
      client.on('close', () => this.#pairs.delete(pair));
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  stall(): void {
    for (const { client, upstream } of this.#pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** `stall()`, and each new connection is accepted and never answered, until `up()`. */
  silence(): void {
    this.#silent = true;
    this.stall();
  }

  /** Ends every connection, and each new one as soon as it is made, until `up()`. */
  refuse(): void {
    this.#refusing = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Remembers a connection's two sockets, so they can be ended; an error on either ends both. */
  #track(client: Socket, upstream: Socket): void {
    for (const socket of new Set([client, upstream])) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  }
}
