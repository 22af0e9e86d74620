import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { ReadConnection } from './read-connection.ts';
import type { SqlDialect } from './sql-dialect.ts';

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
   * Whether `SELECT ... FOR UPDATE` exists. A unit of work that lost a race runs again with
   * its repositories locking what they load (ADR 20), so writers of one aggregate queue on
   * PostgreSQL instead of colliding again; SQLite needs no such thing:
   * it has one writer at a time (one connection per process, and a file lock between
   * processes).
   */
  readonly supportsRowLocks: boolean;
  /**
   * Runs `work` as one atomic transaction: everything it wrote is committed when it
   * resolves, nothing when it throws (the error is rethrown). The returned promise settles
   * only once the commit has succeeded (as durable as the engine is set to make it), so no
   * caller learns of a write that was not committed. It may fail with `ConcurrencyConflict`
   * when another writer got in the way (the bus runs the command again), or with
   * `DatabaseUnavailable` when the database could not be used (saying whether anything may
   * have been written, and whether the bus may run the command again). Inside `work`, run
   * queries only through the transaction: a query through `kysely` may wait for the
   * connection the transaction holds.
   */
  transaction<T>(work: (transaction: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only (`LISTEN`/`NOTIFY`): hears the notifications of `channel` on a
   * connection of its own, kept open (opened again after a loss) until the database is
   * closed. SQLite has no notifications between processes.
   */
  readonly listen?: (channel: string, listener: ChannelListener) => void;
  /**
   * A SQLite file only: a number that moves whenever anything was committed to the file
   * since it was last read, by this process or another (`PRAGMA data_version`). What the
   * read connection read while it stayed the same is still what the file holds.
   */
  readonly dataVersion?: () => number;
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

/** Who hears a channel's notifications, and whether it may be missing some. */
export interface ChannelListener {
  /** Listening (again): every notification committed from now on reaches `notified`. */
  listening(): void;
  /** The connection is lost or cannot be opened: notifications may be missed until `listening`. */
  notListening(cause: Error): void;
  notified(payload: string): void;
}
