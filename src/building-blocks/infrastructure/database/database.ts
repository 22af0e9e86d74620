import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { ReadConnection } from './read-connection.ts';
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
