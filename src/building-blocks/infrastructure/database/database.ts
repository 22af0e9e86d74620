import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';
import {
  kyselyReadConnection,
  type ReadConnection,
  sqliteReadConnection,
} from './read-connection.ts';
import { SchemaPrefixPlugin } from './schema-prefix-plugin.ts';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * The one handle on the database. Contexts see it through `kysely.withTables<Their
 * Tables>()`, so each knows only its own tables.
 */
export interface Database {
  readonly dialect: SqlDialect;
  readonly kysely: Kysely<object>;
  /** Where read models run their queries (see `ReadConnection`). */
  readonly reads: ReadConnection;
  /**
   * Whether `SELECT ... FOR UPDATE` exists. Repositories use it to queue writers of one
   * aggregate on PostgreSQL instead of letting them collide; SQLite needs no such thing,
   * as `BEGIN IMMEDIATE` already admits one writer at a time.
   */
  readonly supportsRowLocks: boolean;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

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
  const kysely = new Kysely<object>({
    dialect: new NodeSqliteDialect(path),
    plugins: [new SchemaPrefixPlugin()],
  });
  const reads =
    path === ':memory:'
      ? kyselyReadConnection('sqlite', kysely)
      : sqliteReadConnection(path, kysely);
  return withHelpers('sqlite', kysely, reads);
}

function openPostgres(connectionString: string, max: number): Database {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const kysely = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  return withHelpers('postgres', kysely, kyselyReadConnection('postgres', kysely));
}

function withHelpers(dialect: SqlDialect, kysely: Kysely<object>, reads: ReadConnection): Database {
  return {
    dialect,
    kysely,
    reads,
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
 * Waits until the database answers, trying again with growing pauses, for at most
 * `timeoutMs`; then fails with a message that says where it looked.
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
      if (Date.now() + pause > deadline) {
        throw new Error(
          `The database at ${redact(url)} did not answer within ${Math.round(timeoutMs / 1000)} s: ${(error as Error).message}`,
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
