import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { ConcurrencyConflict } from '../../application/concurrency-conflict.ts';
import { DatabaseUnavailable } from '../../application/database-unavailable.ts';
import type { Database } from './database.ts';
import { connectionTrouble, isSerializationFailure } from './errors.ts';
import { COMMIT, inTransaction } from './in-transaction.ts';
import { kyselyReadConnection, type ReadConnection } from './read-connection.ts';

/**
 * PostgreSQL through Kysely and a `pg` pool of `max` connections. A command's unit of work
 * runs in one transaction on one pooled connection (READ COMMITTED; see ADR 9 for how a
 * repository reads and locks its aggregate), read models run each query on any connection.
 *
 * A connection that fails or is lost, idle or in use, never takes the process down: the
 * work using it fails with `DatabaseUnavailable` (503), the pool drops the connection and
 * opens a new one for the next request.
 */
export function openPostgres(
  connectionString: string,
  { max, onIdleConnectionLost }: { max: number; onIdleConnectionLost: (error: Error) => void },
): Database {
  // `pg` is loaded when the first query needs the pool: a service on SQLite never loads it
  // (about 35 modules, 30-50 ms of start-up).
  const pool = async (): Promise<Pool> => {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
    // A client that loses its connection emits 'error'; with no listener that would end the
    // process. While a client is idle, the pool listens, drops it and re-emits the error here;
    // while it is checked out, the statement it runs fails (and is reported with the request
    // that ran it), and the pool drops the client when it comes back: that listener only
    // needs to exist.
    pool.on('error', onIdleConnectionLost);
    pool.on('connect', (client) => client.on('error', () => {}));
    return pool;
  };
  const kysely = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  const reads = unavailableOnLostConnection(kyselyReadConnection('postgres', kysely));
  return {
    dialect: 'postgres',
    kysely,
    reads,
    transaction: pooledTransaction(kysely),
    supportsRowLocks: true,
    ping: async () => {
      await kysely.executeQuery(SELECT_1);
    },
    close: async () => {
      reads.close();
      await kysely.destroy();
    },
  };
}

const BEGIN = CompiledQuery.raw('begin');
const SELECT_1 = CompiledQuery.raw('select 1');

/**
 * A transaction on a connection of the pool, held until it ends. What went wrong is told in
 * the terms the bus acts on: a serialization failure or broken deadlock is a
 * `ConcurrencyConflict` (run the command again); a connection lost before COMMIT was sent is a
 * `DatabaseUnavailable` that wrote nothing (the server rolled the transaction back) and may
 * run again at once; one lost during COMMIT may have committed: not run again, and the client
 * is told the outcome is unknown.
 */
function pooledTransaction(kysely: Kysely<object>): Database['transaction'] {
  return async (work) => {
    let commitSent = false;
    try {
      return await kysely.getExecutor().provideConnection((connection) => {
        const run = (statement: CompiledQuery) => {
          if (statement === COMMIT) commitSent = true;
          return connection.executeQuery(statement);
        };
        return inTransaction(run, BEGIN, () =>
          work({ builder: kysely, execute: (query) => connection.executeQuery(query) }),
        );
      });
    } catch (error) {
      if (isSerializationFailure(error)) throw new ConcurrencyConflict('The data');
      const trouble = connectionTrouble(error);
      if (trouble) {
        throw new DatabaseUnavailable(error, {
          nothingWritten: !commitSent,
          retryAtOnce: trouble === 'lost',
        });
      }
      throw error;
    }
  };
}

/** Read models' queries fail with `DatabaseUnavailable` when their connection is lost. */
function unavailableOnLostConnection(reads: ReadConnection): ReadConnection {
  return {
    dialect: reads.dialect,
    kysely: reads.kysely,
    all: async (query) => {
      try {
        return await reads.all(query);
      } catch (error) {
        if (connectionTrouble(error)) {
          throw new DatabaseUnavailable(error, { nothingWritten: true, retryAtOnce: false });
        }
        throw error;
      }
    },
    close: () => reads.close(),
  };
}
