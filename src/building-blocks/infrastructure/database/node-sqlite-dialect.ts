import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { ConcurrencyConflict } from '../../application/concurrency-conflict.ts';
import { isBusy } from './errors.ts';
import { COMMIT, inTransaction, ROLLBACK } from './in-transaction.ts';

/**
 * Kysely over Node's built-in `node:sqlite`: no native add-on, nothing to install.
 * (Kysely's own SQLite driver expects better-sqlite3's statement API.)
 *
 * The database has one connection, handed to one user at a time (a transaction holds it
 * until it ends), so requests that interleave at an `await` never share a transaction.
 * A unit of work's transaction (`transaction`) is deferred: it takes SQLite's write lock at
 * its first write, so a command that changes nothing never takes it (one process, the usual
 * case, never sees a difference otherwise). When another process on the same file is
 * writing, SQLite refuses that first write (it holds the lock, or committed after this
 * transaction's first read) and the transaction fails with `ConcurrencyConflict`: the bus
 * runs the command again, as it does when a version check fails. For a while after such a
 * conflict, transactions start with `BEGIN IMMEDIATE`, taking the write lock up front and
 * waiting for it (busy timeout): under contention, writers queue instead of failing again.
 * Kysely's own transactions (migrations) always start that way. WAL lets readers go on.
 */
export class NodeSqliteDialect implements Dialect {
  readonly #driver: NodeSqliteDriver;

  constructor(path: string) {
    this.#driver = new NodeSqliteDriver(path);
  }

  createDriver(): Driver {
    return this.#driver;
  }

  /**
   * Runs `work` in a transaction on the connection, as Kysely's own transactions do, without
   * Kysely's connection provider between them: BEGIN, COMMIT and the lock are plain calls
   * (node:sqlite is synchronous), where Kysely's path costs a dozen promises per command.
   */
  transaction<T>(work: (connection: NodeSqliteConnection) => Promise<T>): Promise<T> {
    return this.#driver.transaction(work);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  createIntrospector(db: Kysely<never>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * DDL inside transactions: SQLite rolls it back, so a failed migration leaves no half-made
 * schema. The driver hands out its one connection under its own lock, so Kysely needs no
 * mutex of its own in front of it.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }

  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/** One holder at a time; the others wait their turn, first come first served. */
class ConnectionLock {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  /** Takes the lock when it is free (no promise, no waiting): false when it is held. */
  tryTake(): boolean {
    if (this.#held) return false;
    this.#held = true;
    return true;
  }

  /** Resolves when `release` hands the lock over. */
  waitTurn(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the lock to the next in line, or frees it. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

/** The write lock up front (waiting for it): Kysely's transactions, and units of work under contention. */
const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
/** The write lock at the first write: none for a command that changes nothing. */
const BEGIN_DEFERRED = CompiledQuery.raw('begin');
/** How long units of work take the write lock up front after another process got in their way. */
const CONTENTION_MS = 2_000;

const BUSY_TIMEOUT_MS = 5_000;

class NodeSqliteDriver implements Driver {
  readonly #path: string;
  readonly #lock = new ConnectionLock();
  #database: DatabaseSync | undefined;
  #connection: NodeSqliteConnection | undefined;
  #destroyed = false;
  /** Until when units of work start with `BEGIN IMMEDIATE` (see the class comment). */
  #lockUpFrontUntil = 0;

  constructor(path: string) {
    this.#path = path;
  }

  async init(): Promise<void> {
    this.#open();
  }

  /** The connection, opened on first use (by Kysely's `init` or by `transaction`). */
  #open(): NodeSqliteConnection {
    if (this.#destroyed) throw new Error('The SQLite database is closed.');
    if (!this.#connection) {
      const database = new DatabaseSync(this.#path, { timeout: BUSY_TIMEOUT_MS });
      database.exec('PRAGMA journal_mode = WAL');
      database.exec('PRAGMA synchronous = NORMAL');
      database.exec('PRAGMA foreign_keys = ON');
      this.#database = database;
      this.#connection = new NodeSqliteConnection(database);
    }
    return this.#connection;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#open();
    if (!this.#lock.tryTake()) await this.#lock.waitTurn();
    return connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async transaction<T>(work: (connection: NodeSqliteConnection) => Promise<T>): Promise<T> {
    const connection = this.#open();
    if (!this.#lock.tryTake()) await this.#lock.waitTurn();
    const deferred = Date.now() >= this.#lockUpFrontUntil;
    try {
      return await inTransaction(
        (statement) => connection.executeSync(statement),
        deferred ? BEGIN_DEFERRED : BEGIN_IMMEDIATE,
        () => work(connection),
      );
    } catch (error) {
      if (deferred && isBusy(error)) {
        this.#lockUpFrontUntil = Date.now() + CONTENTION_MS;
        throw new ConcurrencyConflict('The data');
      }
      throw error;
    } finally {
      this.#lock.release();
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(BEGIN_IMMEDIATE);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(COMMIT);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(ROLLBACK);
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    this.#connection = undefined;
    this.#database?.close();
    this.#database = undefined;
  }
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * A read-only connection to the database file, for the read models (see read-connection.ts):
 * the same statement cache and value mapping as the write connection.
 */
export function openReadOnlyConnection(path: string): {
  connection: NodeSqliteConnection;
  close(): void;
} {
  const database = new DatabaseSync(path, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  return { connection: new NodeSqliteConnection(database), close: () => database.close() };
}

/**
 * A promise of what `run` returns, or of the error it throws: for the synchronous node:sqlite
 * calls behind Kysely's asynchronous interfaces, without an async function's extra promises.
 */
export function promiseOf<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}

export class NodeSqliteConnection implements DatabaseConnection {
  readonly #database: DatabaseSync;
  // Kysely compiles the same SQL text for the same query shape: prepare it once.
  readonly #statements = new Map<string, PreparedStatement>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return promiseOf(() => this.executeSync<R>(compiledQuery));
  }

  /** `executeQuery`, synchronously (node:sqlite is). */
  executeSync<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const { statement, columns } = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters.map(toSqliteValue);
    if (columns.length > 0) {
      return { rows: toRows<R>(statement.all(...parameters) as unknown as unknown[][], columns) };
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return {
      rows: [],
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by this adapter.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported by the node:sqlite adapter.');
  }

  #prepare(sql: string) {
    let cached = this.#statements.get(sql);
    if (!cached) {
      const statement = this.#database.prepare(sql);
      const columns = statement.columns().map((column) => column.name);
      if (columns.includes('__proto__')) {
        throw new Error("A result column named __proto__ would set the row's prototype.");
      }
      statement.setReturnArrays(true); // made into objects by `toRows`
      cached = { statement, columns };
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value as string;
        this.#statements.delete(oldest);
      }
      this.#statements.set(sql, cached);
    }
    return cached;
  }
}

interface PreparedStatement {
  statement: StatementSync;
  /** The names of the result columns; none for a statement that returns no rows. */
  columns: string[];
}

/**
 * node:sqlite's row objects have a null prototype and are built as dictionaries: slow to make
 * and slow to read (every property read is a hash lookup). Rows built here, by assigning
 * the columns in the same order, share one hidden class per statement, and reading them is
 * a plain field load: a repository's 14-column row costs half as much to fetch and map.
 */
function toRows<R>(arrays: unknown[][], columns: string[]): R[] {
  const rows: Record<string, unknown>[] = new Array(arrays.length);
  for (let i = 0; i < arrays.length; i++) {
    const values = arrays[i] as unknown[];
    const row: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c] as string] = values[c];
    rows[i] = row;
  }
  return rows as R[];
}

/** node:sqlite binds numbers, strings, bigints, buffers and null; map the rest onto those. */
export function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && !ArrayBuffer.isView(value)) return JSON.stringify(value);
  return value as SQLInputValue;
}
