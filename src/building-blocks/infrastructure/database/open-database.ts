import { sql } from 'kysely';
import { redact } from '../redact-url.ts';
import type { Database } from './database.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite, type SqliteOptions } from './sqlite/open-sqlite.ts';

export interface DatabaseOptions {
  /** PostgreSQL connection-pool size (the units of work's connections). */
  poolSize?: number;
  /** PostgreSQL: the connections the read models' queries are pipelined on (default 2). */
  readConnections?: number;
  /** PostgreSQL: how long a read waits for its answer before its connection counts as lost (default 10 s). */
  readTimeoutMs?: number;
  /** SQLite: share one COMMIT among the units of work of one event-loop turn (default: true). */
  groupCommit?: boolean;
  /**
   * PostgreSQL: how long a statement of a unit of work may go unanswered (a lock wait
   * included) before its connection is dropped and the command fails with a 503 (default 30 s).
   */
  commandTimeoutMs?: number;
  /**
   * PostgreSQL: how long a unit of work's transaction may sit idle, waiting on this process,
   * before the server ends its session and releases its row locks (default 60 s).
   */
  idleInTransactionTimeoutMs?: number;
  /** PostgreSQL: told when a pooled connection fails while nobody uses it (the pool replaces it). */
  onIdleConnectionLost?: (error: Error) => void;
  /** PostgreSQL: told once when an open read connection is lost (the next read opens another). */
  onReadConnectionLost?: (error: Error) => void;
}

/** `sqlite:<file>`, `sqlite::memory:`, or a `postgres://` / `postgresql://` URL. */
export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith('sqlite:')) {
    return sqliteDatabase(url.slice('sqlite:'.length), { groupCommit: options.groupCommit });
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return openPostgres(url, {
      max: options.poolSize ?? 10,
      readConnections: options.readConnections ?? 2,
      readTimeoutMs: options.readTimeoutMs ?? 10_000,
      commandTimeoutMs: options.commandTimeoutMs ?? 30_000,
      idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? 60_000,
      onIdleConnectionLost: options.onIdleConnectionLost ?? (() => {}),
      onReadConnectionLost: options.onReadConnectionLost ?? (() => {}),
    });
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${redact(url)}").`);
}

/** The SQLite engine (sqlite/) as a `Database`: each unit of work gets a `SqlTransaction`. */
function sqliteDatabase(path: string, options: SqliteOptions): Database {
  const { kysely, reads, dataVersion, transaction } = openSqlite(path, options);
  return {
    dialect: 'sqlite',
    kysely,
    reads,
    ...(dataVersion && { dataVersion }),
    transaction: (work) =>
      transaction((connection) =>
        work({ builder: kysely, execute: (query) => connection.executeQuery(query) }),
      ),
    supportsRowLocks: false,
    ping: async () => {
      await sql`select 1`.execute(kysely);
    },
    close: async () => {
      reads.close();
      await kysely.destroy();
    },
  };
}
