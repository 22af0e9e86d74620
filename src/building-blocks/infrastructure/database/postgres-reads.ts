import type { CompiledQuery, Kysely } from 'kysely';
import type { Client } from 'pg';
import { DatabaseUnavailable } from '../../application/database-unavailable.ts';
import { connectionTrouble } from './errors.ts';
import { batchWrites, runStatement } from './postgres-statements.ts';
import type { ReadConnection } from './read-connection.ts';

/** As the pool's: a server that does not answer is a failed read, not a wait forever. */
const CONNECTION_TIMEOUT_MS = 5_000;
/** How much longer than a read's time limit a connection may stay silent while reads wait. */
const SILENCE_GRACE_MS = 1_000;
/** SQLSTATE of a statement PostgreSQL cancelled (here: `statement_timeout`). */
const QUERY_CANCELED = '57014';

/**
 * Read models' queries on a few connections of their own (`connections`, outside the pool),
 * pipelined: a query is sent on the connection with the fewest queries in flight without
 * waiting for the answers before it, and the queries of one turn of the event loop leave in
 * one write (`batchWrites`). Under load, the reads of many requests reach PostgreSQL
 * together and come back together: one system call and one wake-up of the server for many
 * reads, where a pooled connection per read paid them for each (ADR 21).
 *
 * Reads are short primary-key and index lookups, so one waiting behind another on its
 * connection costs little; a long report would hold up the reads queued behind it and should
 * run elsewhere.
 *
 * A connection is opened when a read first needs it. One that is lost fails the reads in
 * flight on it with `DatabaseUnavailable` (a 503 that wrote nothing), is ended, and is
 * replaced by the next read; one that cannot be opened (refused, timed out) fails the reads
 * that waited for it the same way.
 *
 * Time limits (`timeoutMs`): PostgreSQL cancels a read that runs longer (`statement_timeout`:
 * one stuck behind a lock, say), which fails with `DatabaseUnavailable` and leaves the
 * connection in use. A connection that sends nothing at all for a second longer while reads
 * wait on it counts as lost: one that went silent (a network partition, a middlebox dropping
 * it) would otherwise hold every read queued on it for as long as TCP takes to give up, many
 * minutes. A long queue of reads on a connection that keeps answering is not silence.
 */
export function pipelinedReads(
  connectionString: string,
  kysely: Kysely<object>,
  {
    connections,
    timeoutMs,
    onConnectionLost,
  }: { connections: number; timeoutMs: number; onConnectionLost: (error: Error) => void },
): ReadConnection {
  const lanes: (Lane | undefined)[] = Array.from({ length: connections }, () => undefined);
  let closed = false;

  /** Lost connections still ending: `close` waits for them too. */
  const ending = new Set<Promise<void>>();
  const open = (slot: number): Lane => {
    const lane = new Lane(connectionString, timeoutMs, (cause) => {
      if (lanes[slot] !== lane) return;
      lanes[slot] = undefined;
      if (cause) onConnectionLost(cause);
      const ended = lane.end();
      ending.add(ended);
      void ended.then(() => ending.delete(ended));
    });
    lanes[slot] = lane;
    return lane;
  };

  /** The open connection with the fewest reads in flight, or a new one in an empty slot. */
  const leastBusy = (): Lane => {
    let best: Lane | undefined;
    for (let slot = 0; slot < lanes.length; slot++) {
      const lane = lanes[slot];
      if (!lane) return open(slot);
      if (best === undefined || lane.inFlight < best.inFlight) best = lane;
    }
    return best as Lane;
  };

  return {
    dialect: 'postgres',
    kysely,
    async all<Row>(query: CompiledQuery) {
      if (closed) throw new Error('The database is closed.');
      return leastBusy().run<Row>(query);
    },
    async close() {
      closed = true;
      await Promise.all([...lanes.map((lane) => lane?.end()), ...ending]);
    },
  };
}

/** One pipelined connection and the number of reads waiting for their answer on it. */
class Lane {
  inFlight = 0;
  readonly #connected: Promise<{ client: Client; batched: () => void }>;
  /** Told with the cause when an open connection is lost; without one when it never opened
   * (the reads that waited for it fail and say so themselves). */
  readonly #onLost: (cause?: Error) => void;
  readonly #timeoutMs: number;
  /** When the server last sent anything, or when reads began waiting on a quiet connection. */
  #lastHeardMs = 0;
  #watchdog: NodeJS.Timeout | undefined;
  #opened = false;

  constructor(connectionString: string, timeoutMs: number, onLost: (cause?: Error) => void) {
    const lost = (cause?: Error) => onLost(this.#opened ? cause : undefined);
    this.#onLost = lost;
    this.#timeoutMs = timeoutMs;
    this.#connected = (async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({
        connectionString,
        connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
        keepAlive: true,
        pipeline: true,
        statement_timeout: timeoutMs,
      });
      // A lost connection emits 'error' (with no listener that would end the process), then
      // 'end'; the reads in flight fail on their own, and may do so first (see `run`). 'end'
      // alone is our own `end()` (a shutdown): the lane is retired, nothing is reported.
      client.on('error', (error) => lost(error));
      client.on('end', () => lost());
      // Emitted the moment the server is ready, before `connect()` resolves: a loss in the
      // same chunk of data as the server's "ready" is a loss of an open connection.
      client.once('connect', () => {
        this.#opened = true;
      });
      try {
        await client.connect();
      } catch (error) {
        lost();
        throw new DatabaseUnavailable(error, { nothingWritten: true, retryAtOnce: false });
      }
      client.connection.stream.on('data', () => {
        this.#lastHeardMs = performance.now();
      });
      return { client, batched: batchWrites(client) };
    })();
    // A read awaits it; a connection nobody waited for must not be an unhandled rejection.
    this.#connected.catch(() => {});
  }

  async run<Row>(query: CompiledQuery): Promise<Row[]> {
    // Silence is counted from now when nothing was waiting: the quiet before was not.
    if (this.inFlight++ === 0) this.#lastHeardMs = performance.now();
    try {
      const { client, batched } = await this.#connected;
      batched();
      this.#watch(client);
      return (await runStatement<Row>(client, query)).rows;
    } catch (error) {
      // The first read to see the connection broken retires it, whether or not the client
      // has said so yet: the next read gets a new connection, not this one. A read the server
      // cancelled leaves its connection in use.
      const lost = connectionTrouble(error) !== undefined;
      if (lost) this.#onLost(error as Error);
      else if ((error as { code?: unknown }).code !== QUERY_CANCELED) throw error;
      throw new DatabaseUnavailable(error, { nothingWritten: true, retryAtOnce: false });
    } finally {
      this.inFlight--;
    }
  }

  /**
   * While reads wait, the server must send something at least every `timeoutMs` + 1 s (its
   * own `statement_timeout` answers a stuck read before that). Otherwise the socket is
   * dropped, which fails every read in flight on it as a lost connection. One timer per
   * connection, armed while reads wait.
   */
  #watch(client: Client): void {
    if (this.#watchdog) return;
    const limitMs = this.#timeoutMs + SILENCE_GRACE_MS;
    const check = () => {
      this.#watchdog = undefined;
      if (this.inFlight === 0) return;
      const silentMs = performance.now() - this.#lastHeardMs;
      if (silentMs < limitMs) {
        this.#watchdog = setTimeout(check, limitMs - silentMs).unref();
        return;
      }
      const silent = new Error(`PostgreSQL sent nothing for ${Math.round(silentMs)} ms`);
      client.connection.stream.destroy(Object.assign(silent, { code: 'ETIMEDOUT' }));
    };
    this.#watchdog = setTimeout(check, limitMs).unref();
  }

  /** Ends the connection once the reads in flight on it are answered (or failed). */
  async end(): Promise<void> {
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    try {
      const { client } = await this.#connected;
      await client.end();
    } catch {
      // Never opened, or already gone.
    }
  }
}
