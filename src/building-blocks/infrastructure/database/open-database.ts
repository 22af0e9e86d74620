import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, sql } from 'kysely';
import type { Database } from './database.ts';
import { permanentConnectionProblem } from './errors.ts';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';
import { openPostgres } from './postgres.ts';
import {
  kyselyReadConnection,
  type ReadConnection,
  sqliteReadConnection,
} from './read-connection.ts';
import { SchemaPrefixPlugin } from './schema-prefix-plugin.ts';
import type { SqlDialect } from './sql-dialect.ts';

export interface DatabaseOptions {
  /** PostgreSQL connection-pool size. */
  poolSize?: number;
}

/** `sqlite:<file>`, `sqlite::memory:`, or a `postgres://` / `postgresql://` URL. */
export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10);
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url}").`);
}

function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // Reads of one turn share a snapshot until the writer becomes active (see sqliteReadConnection).
  let endReadSnapshot = () => {};
  const dialect = new NodeSqliteDialect(path, { onWriterActive: () => endReadSnapshot() });
  const kysely = new Kysely<object>({ dialect, plugins: [new SchemaPrefixPlugin()] });
  let reads: ReadConnection;
  if (path === ':memory:') {
    reads = kyselyReadConnection('sqlite', kysely);
  } else {
    const connection = sqliteReadConnection(path, kysely, { idle: () => dialect.writerIdle });
    endReadSnapshot = connection.endSnapshot;
    reads = connection;
  }
  return withHelpers('sqlite', kysely, reads, (work) =>
    dialect.transaction((connection) =>
      work({ builder: kysely, execute: (query) => connection.executeQuery(query) }),
    ),
  );
}

function withHelpers(
  dialect: SqlDialect,
  kysely: Kysely<object>,
  reads: ReadConnection,
  transaction: Database['transaction'],
): Database {
  return {
    dialect,
    kysely,
    reads,
    transaction,
    supportsRowLocks: dialect === 'postgres',
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
