import { CompiledQuery, Kysely, PostgresDialect, type QueryResult, sql } from 'kysely';
import { inTransaction } from './in-transaction.ts';
import { kyselyReadConnection, type ReadConnection } from './read-connection.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { openSqlite, type SqliteOptions } from './sqlite/open-sqlite.ts';

/**
 * The one handle on the database, shared by every context. It knows no context's tables:
 * each context names its own where it builds queries (`KyselyUnitOfWork<Tables>`,
 * `preparedQuery`). The engines behind it: `openDatabase`.
 */
export interface Database {
  readonly dialect: SqlDialect;
  /** Builds and compiles queries for this database; runs those of migrations and scripts. */
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
   * Runs `work` as one atomic transaction: everything it wrote is committed when it
   * resolves, nothing when it throws (the error is rethrown). The returned promise settles
   * only once the commit has succeeded (as durable as the engine is set to make it), so no
   * caller learns of a write that was not committed. It may fail with `ConcurrencyConflict`
   * when another writer got in the way; the bus runs the command again. Inside `work`, run
   * queries only through the transaction: a query through `kysely` may wait for the
   * connection the transaction holds.
   */
  transaction<T>(work: (transaction: SqlTransaction) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One transaction, on one connection: queries are built and compiled with `builder` (the
 * database's `kysely`, which never runs them here) and run with `execute`, straight on the
 * connection. Kysely's executor (plugins, connection provider, several promises) costs more
 * per query than a primary-key write on SQLite, and a unit of work runs a few per command.
 */
export interface SqlTransaction<Tables = object> {
  readonly builder: Kysely<Tables>;
  execute<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>>;
}

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
  return withHelpers('sqlite', kysely, reads, (work) =>
    transaction((connection) =>
      work({ builder: kysely, execute: (query) => connection.executeQuery(query) }),
    ),
  );
}

function openPostgres(connectionString: string, max: number): Database {
  // `pg` is loaded when the first query needs the pool: a service on SQLite never loads it
  // (about 35 modules, 30-50 ms of start-up).
  const pool = async () => {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    return pool;
  };
  const kysely = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  return withHelpers(
    'postgres',
    kysely,
    kyselyReadConnection('postgres', kysely),
    pooledTransaction(kysely),
  );
}

const BEGIN = CompiledQuery.raw('begin');

/** A transaction on a connection of Kysely's pool, held until it ends. */
function pooledTransaction(kysely: Kysely<object>): Database['transaction'] {
  return (work) =>
    kysely.getExecutor().provideConnection((connection) =>
      inTransaction(
        (statement) => connection.executeQuery(statement),
        BEGIN,
        () => work({ builder: kysely, execute: (query) => connection.executeQuery(query) }),
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
