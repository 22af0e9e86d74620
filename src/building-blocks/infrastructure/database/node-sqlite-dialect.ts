import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { setImmediate } from 'node:timers';
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
import { COMMIT, ROLLBACK } from './in-transaction.ts';

/**
 * Kysely over Node's built-in `node:sqlite`: no native add-on, nothing to install.
 * (Kysely's own SQLite driver expects better-sqlite3's statement API.)
 *
 * The database has one connection, handed to one user at a time (a unit of work holds it
 * while its work runs), so requests that interleave at an `await` never mix their writes.
 *
 * Group commit: the units of work that run in one turn of the event loop share one
 * transaction, each under its own savepoint, and one COMMIT at the end of the turn
 * (`setImmediate`). A unit that fails rolls back to its savepoint, alone; a unit's promise
 * settles only after the COMMIT, so no answer is given for writes that are not committed, and
 * when the COMMIT fails every unit of the group fails. A COMMIT costs about as much as the
 * rest of a command (it writes each changed page to the WAL), and a busy server runs several
 * commands per turn (docs/benchmark-findings.md has the figures). A unit sees the writes of
 * the units before it in its group, as it would had they committed: the order is the same,
 * and they commit or fail with it.
 *
 * A group's transaction is deferred: it takes SQLite's write lock at its first write, so
 * commands that change nothing never take it (one process, the usual case, never sees a
 * difference otherwise). When another process on the same file is writing, SQLite refuses
 * that first write (it holds the lock, or committed after the group's first read) and the
 * whole group rolls back with `ConcurrencyConflict`: the bus runs each command again, as it
 * does when a version check fails. For a while after such a conflict, groups start with
 * `BEGIN IMMEDIATE`, taking the write lock up front and waiting for it (busy timeout): under
 * contention, writers queue instead of failing again. Kysely's own transactions (migrations)
 * always start that way, never inside a group. WAL lets readers go on.
 */
export class NodeSqliteDialect implements Dialect {
  readonly #driver: NodeSqliteDriver;

  /** `onWriterActive`: called before the write connection begins to be used for writing. */
  constructor(path: string, options: { onWriterActive?: () => void } = {}) {
    this.#driver = new NodeSqliteDriver(path, options.onWriterActive ?? (() => {}));
  }

  /** Whether nothing holds the write connection and no group is open. */
  get writerIdle(): boolean {
    return this.#driver.idle;
  }

  createDriver(): Driver {
    return this.#driver;
  }

  /**
   * Runs `work` as a unit of work on the connection (see the class comment), without Kysely's
   * connection provider between them: BEGIN, COMMIT and the lock are plain calls (node:sqlite
   * is synchronous), where Kysely's path costs a dozen promises per command.
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

/** One holder at a time; the others wait their turn, first come first served (but a group's
 * COMMIT, which goes first). */
class ConnectionLock {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  get held(): boolean {
    return this.#held;
  }

  /** Takes the lock when it is free (no promise, no waiting): false when it is held. */
  tryTake(): boolean {
    if (this.#held) return false;
    this.#held = true;
    return true;
  }

  /** Resolves when `release` hands the lock over; `first` goes ahead of those waiting. */
  waitTurn({ first = false } = {}): Promise<void> {
    return new Promise((resolve) => {
      if (first) this.#waiting.unshift(resolve);
      else this.#waiting.push(resolve);
    });
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
/** Each unit of work's part of a group: undone alone when the unit fails. */
const SAVEPOINT = CompiledQuery.raw('savepoint unit_of_work');
const RELEASE = CompiledQuery.raw('release unit_of_work');
const ROLLBACK_TO = CompiledQuery.raw('rollback to unit_of_work');
/** How long units of work take the write lock up front after another process got in their way. */
const CONTENTION_MS = 2_000;

const BUSY_TIMEOUT_MS = 5_000;

/** The transaction the units of work of one turn of the event loop share (see the class comment). */
interface Group {
  deferred: boolean;
  /** Units that finished their work, each waiting for the COMMIT to answer. */
  members: { committed(): void; failed(error: unknown): void }[];
}

class NodeSqliteDriver implements Driver {
  readonly #path: string;
  readonly #lock = new ConnectionLock();
  /** Told before the write connection is put to use (see `NodeSqliteDialect`'s options). */
  readonly #onWriterActive: () => void;
  #database: DatabaseSync | undefined;
  #connection: NodeSqliteConnection | undefined;
  #destroyed = false;
  /** Until when units of work start with `BEGIN IMMEDIATE` (see the class comment). */
  #lockUpFrontUntil = 0;
  /** The open group transaction, if any. */
  #group: Group | undefined;
  #commitScheduled = false;

  constructor(path: string, onWriterActive: () => void) {
    this.#path = path;
    this.#onWriterActive = onWriterActive;
  }

  /** Nothing holds the connection and no group is open. */
  get idle(): boolean {
    return !this.#lock.held && this.#group === undefined;
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
    this.#onWriterActive();
    // Kysely's queries and transactions run outside any group: commit the open one first.
    this.#commitGroup(connection);
    return connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  /**
   * A unit of work: `work` runs under a savepoint of the open group transaction (or of a new
   * one), and the returned promise settles once the group's COMMIT has answered.
   */
  async transaction<T>(work: (connection: NodeSqliteConnection) => Promise<T>): Promise<T> {
    const connection = this.#open();
    if (!this.#lock.tryTake()) await this.#lock.waitTurn();
    let group: Group | undefined;
    let result: T;
    try {
      group = this.#joinGroup(connection);
      result = await work(connection);
      connection.executeSync(RELEASE);
    } catch (error) {
      throw this.#failUnit(connection, group, error);
    } finally {
      // Released before the COMMIT: the next unit joins the group. The group ends with the
      // turn, even when this unit failed and none other joins it.
      this.#lock.release();
      if (this.#group) this.#scheduleCommit();
    }
    const committed = new Promise<void>((resolve, reject) => {
      group.members.push({ committed: resolve, failed: reject });
    });
    await committed;
    return result;
  }

  /** The open group (begun now when there is none), with a savepoint for one more unit. */
  #joinGroup(connection: NodeSqliteConnection): Group {
    if (!this.#group) {
      this.#onWriterActive();
      const deferred = Date.now() >= this.#lockUpFrontUntil;
      connection.executeSync(deferred ? BEGIN_DEFERRED : BEGIN_IMMEDIATE);
      this.#group = { deferred, members: [] };
    }
    connection.executeSync(SAVEPOINT);
    return this.#group;
  }

  /**
   * Undoes a failed unit and says why it failed. Its own savepoint is enough, unless another
   * process got in the group's way (or the undo itself failed): then the whole group rolls
   * back and every unit in it fails with `ConcurrencyConflict`, which the bus retries.
   */
  #failUnit(connection: NodeSqliteConnection, group: Group | undefined, error: unknown): unknown {
    if (!group) return error; // BEGIN or SAVEPOINT failed: the group, if any, is untouched
    const conflict = this.#asConflict(group, error);
    if (!conflict && this.#undoUnit(connection)) return error;
    this.#abandonGroup(connection, group, conflict ?? new ConcurrencyConflict('The data'));
    return conflict ?? error;
  }

  /** Rolls back the unit's savepoint; false when even that failed. */
  #undoUnit(connection: NodeSqliteConnection): boolean {
    try {
      connection.executeSync(ROLLBACK_TO);
      connection.executeSync(RELEASE);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A busy error in a deferred group: another process got in its way. That is a
   * `ConcurrencyConflict`, and for a while groups take the write lock up front.
   */
  #asConflict(group: Group, error: unknown): ConcurrencyConflict | undefined {
    if (!group.deferred || !isBusy(error)) return undefined;
    this.#lockUpFrontUntil = Date.now() + CONTENTION_MS;
    return new ConcurrencyConflict('The data');
  }

  /** Rolls the whole group back; each of its finished units fails with `reason`. */
  #abandonGroup(connection: NodeSqliteConnection, group: Group, reason: unknown): void {
    if (this.#group === group) this.#group = undefined;
    try {
      connection.executeSync(ROLLBACK);
    } catch {}
    for (const member of group.members) member.failed(reason);
  }

  /** Once per turn of the event loop, after the units that ran in it (`setImmediate`). */
  #scheduleCommit(): void {
    if (this.#commitScheduled) return;
    this.#commitScheduled = true;
    setImmediate(() => {
      this.#commitScheduled = false;
      void this.#commitNext();
    });
  }

  /** Commits the open group as soon as the unit holding the connection (if any) lets go:
   * ahead of the units waiting for it, which start the next group. */
  async #commitNext(): Promise<void> {
    if (!this.#lock.tryTake()) await this.#lock.waitTurn({ first: true });
    try {
      if (this.#connection) this.#commitGroup(this.#connection);
    } finally {
      this.#lock.release();
    }
  }

  /** Commits the open group, if any, and tells its units (the caller holds the lock). */
  #commitGroup(connection: NodeSqliteConnection): void {
    const group = this.#group;
    if (!group) return;
    this.#group = undefined;
    try {
      connection.executeSync(COMMIT);
    } catch (error) {
      this.#abandonGroup(connection, group, this.#asConflict(group, error) ?? error);
      return;
    }
    for (const member of group.members) member.committed();
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
    // Units waiting for their group's COMMIT get it before the connection closes.
    if (this.#group) await this.#commitNext();
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
