import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { DatabaseUnavailable } from '../../application/database-unavailable.ts';
import type { Database } from './database.ts';
import { listenOnOwnConnection } from './postgres-listener.ts';
import { pipelinedReads } from './postgres-reads.ts';
import { pooledTransaction } from './postgres-transaction.ts';

/**
 * PostgreSQL through a `pg` pool of `max` connections. Kysely builds and compiles the
 * queries (and runs those of migrations and scripts); units of work and read models run
 * theirs straight on `pg`, by statement name (postgres-statements.ts). A command's unit of
 * work runs in one transaction on one pooled connection (READ COMMITTED; see ADR 9 for how a
 * repository reads and locks its aggregate; postgres-transaction.ts), read models run theirs
 * pipelined on `readConnections` connections of their own (postgres-reads.ts).
 *
 * A connection that fails or is lost, idle or in use, never takes the process down: the
 * work using it fails with `DatabaseUnavailable` (503), the pool drops the connection and
 * opens a new one for the next request. A lost peer is noticed by TCP keepalive, not only by
 * the next statement, and a transaction left idle by a process that stopped (paused,
 * stuck, or on the far side of a network split) is ended by the server after
 * `idleInTransactionTimeoutMs`, so the row locks it held do not block every other process's
 * commands on those projects for ever. `listen` opens one more connection per channel,
 * outside the pool (postgres-listener.ts).
 */
export function openPostgres(
  connectionString: string,
  {
    max,
    readConnections,
    readTimeoutMs,
    commandTimeoutMs,
    idleInTransactionTimeoutMs,
    onIdleConnectionLost,
    onReadConnectionLost,
  }: {
    max: number;
    readConnections: number;
    readTimeoutMs: number;
    /** How long a statement of a unit of work may go unanswered before its connection is dropped. */
    commandTimeoutMs: number;
    idleInTransactionTimeoutMs: number;
    onIdleConnectionLost: (error: Error) => void;
    onReadConnectionLost: (error: Error) => void;
  },
): Database {
  // `pg` is loaded when the first query needs the pool: a service on SQLite never loads it
  // (about 35 modules, 30-50 ms of start-up).
  let created: Promise<Pool> | undefined;
  const pool = (): Promise<Pool> => {
    created ??= newPool(connectionString, max, idleInTransactionTimeoutMs, onIdleConnectionLost);
    return created;
  };
  const kysely = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  const reads = pipelinedReads(connectionString, kysely, {
    connections: readConnections,
    timeoutMs: readTimeoutMs,
    onConnectionLost: onReadConnectionLost,
  });
  const listeners: { close(): Promise<void> }[] = [];
  // The readiness check asks as a command does, with a deadline of its own: a server gone
  // silent fails it within seconds (its connection dropped) instead of holding it, and a
  // shutdown behind it, until TCP gives up. That deadline covers the statement only; the
  // whole check, a new connection included, is bounded by `answeredWithin`.
  const readiness = pooledTransaction(pool, kysely, Math.min(commandTimeoutMs, PING_WITHIN_MS));
  const selectOne = () => readiness((tx) => tx.execute(SELECT_1));
  return {
    dialect: 'postgres',
    kysely,
    reads,
    transaction: pooledTransaction(pool, kysely, commandTimeoutMs),
    supportsRowLocks: true,
    listen: (channel, listener) => {
      listeners.push(listenOnOwnConnection(connectionString, channel, listener));
    },
    ping: () => answeredWithin(selectOne(), PING_WITHIN_MS),
    close: async () => {
      await Promise.all(listeners.map((listening) => listening.close()));
      await reads.close();
      await kysely.destroy();
      // Kysely ends the pool only if it ever used it.
      const used = await created;
      if (used && !used.ending) await used.end();
    },
  };
}

async function newPool(
  connectionString: string,
  max: number,
  idleInTransactionTimeoutMs: number,
  onIdleConnectionLost: (error: Error) => void,
): Promise<Pool> {
  const { default: pg } = await import('pg');
  // `pipeline`: a client sends a statement without waiting for the answer to the one before
  // (see postgres-transaction.ts); statements awaited one by one run exactly as without it.
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    pipeline: true,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idle_in_transaction_session_timeout: idleInTransactionTimeoutMs,
  });
  // A client that loses its connection emits 'error'; with no listener that would end the
  // process. While a client is idle, the pool listens, drops it and re-emits the error here;
  // while it is checked out, the statement it runs fails (and is reported with the request
  // that ran it), and the pool drops the client when it comes back: that listener only
  // needs to exist.
  pool.on('error', onIdleConnectionLost);
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Resolves once `check` does, or fails with `DatabaseUnavailable` after `ms`, whichever comes
 * first. The statement's own deadline is not enough: with no idle connection in the pool the
 * check first waits for a new one, up to the pool's `connectionTimeoutMillis` (5 s) when the
 * server accepts connections and never answers (stopped with SIGSTOP, or a proxy in front of
 * it stopped), and a load balancer would wait as long for `/health/ready`. The check is not
 * cancelled, only no longer waited for: a connection it opens late serves it and then joins
 * the pool, one that cannot be opened is given up by the pool.
 */
function answeredWithin(check: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const silent = new Error(`PostgreSQL did not answer "select 1" within ${ms} ms`);
      const error = Object.assign(silent, { code: 'ETIMEDOUT' });
      reject(new DatabaseUnavailable(error, { nothingWritten: true, retryAtOnce: false }));
    }, ms);
  });
  // A check that fails after the deadline has nobody waiting for it any more.
  check.catch(() => {});
  return Promise.race([check, deadline])
    .then(() => {})
    .finally(() => clearTimeout(timer));
}

const SELECT_1 = CompiledQuery.raw('select 1');
/**
 * How long the readiness check waits for `select 1`, the connection it needs included: a
 * database that takes longer is not ready.
 */
const PING_WITHIN_MS = 2_000;
