import { sql } from 'kysely';
import type { Database } from './database.ts';
import { permanentConnectionProblem } from './errors.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite, type SqliteOptions } from './sqlite/open-sqlite.ts';

export interface DatabaseOptions {
  /** PostgreSQL connection-pool size. */
  poolSize?: number;
  /** SQLite: share one COMMIT among the units of work of one event-loop turn (default: true). */
  groupCommit?: boolean;
}

/** `sqlite:<file>`, `sqlite::memory:`, or a `postgres://` / `postgresql://` URL. */
export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith('sqlite:')) {
    return sqliteDatabase(url.slice('sqlite:'.length), { groupCommit: options.groupCommit });
  }
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10);
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url}").`);
}

/** The SQLite engine (sqlite/) as a `Database`: each unit of work gets a `SqlTransaction`. */
function sqliteDatabase(path: string, options: SqliteOptions): Database {
  const { kysely, reads, transaction } = openSqlite(path, options);
  return {
    dialect: 'sqlite',
    kysely,
    reads,
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

/**
 * The database cannot be used as configured: it did not answer in time, or it answered with
 * an error that waiting does not cure. The message is one line that says what to do.
 */
export class DatabaseStartupError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DatabaseStartupError';
  }
}

/**
 * Waits until the database answers, trying again with growing pauses, for at most
 * `timeoutMs` (the server may still be starting). An answer that waiting cannot change (the
 * database does not exist, the credentials are refused, the URL is malformed) fails at once.
 */
export async function waitForDatabase(
  database: Database,
  url: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      await database.ping();
      return;
    } catch (error) {
      const permanent = permanentConnectionProblem(error);
      if (permanent) {
        throw new DatabaseStartupError(`The database at ${redact(url)}: ${permanent}`, error);
      }
      if (Date.now() + pause > deadline) {
        throw new DatabaseStartupError(
          `The database at ${redact(url)} did not answer within ${Math.round(timeoutMs / 1000)} s (${(error as Error).message}): is it running? DATABASE_WAIT_SECONDS sets how long to wait.`,
          error,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** A database URL without its password, fit for a log line. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
