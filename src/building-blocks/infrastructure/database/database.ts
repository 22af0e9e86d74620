import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CompiledQuery, Kysely, type QueryResult, sql } from 'kysely';
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
   * aggregate on PostgreSQL instead of letting them collide; SQLite needs no such thing:
   * it has one writer at a time (one connection per process, and a file lock between
   * processes).
   */
  readonly supportsRowLocks: boolean;
  /**
   * Runs `work` in a transaction: commits when it resolves, rolls back when it throws, and
   * resolves only once the commit is done. On SQLite, the units of work of one turn of the
   * event loop share a transaction and its COMMIT, each under a savepoint (group commit,
   * see NodeSqliteDialect); another process on the file getting in the way fails them with
   * `ConcurrencyConflict` (the bus runs the commands again); the one connection is held while
   * `work` runs, so other users of it wait. Inside `work`, run queries only through the
   * transaction.
   */
  transaction<T>(work: (transaction: SqlTransaction) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One transaction, on one connection: queries are built and compiled with `builder` (which
 * never runs them) and run with `execute`, straight on the connection. Kysely's executor
 * (plugins, connection provider, several promises) costs more per query than a
 * primary-key write on SQLite, and a unit of work runs a few of them per command.
 */
export interface SqlTransaction<Tables = object> {
  readonly builder: Kysely<Tables>;
  execute<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>>;
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
