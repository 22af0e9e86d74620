import {
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { FifoSemaphore } from '../../fifo-semaphore.ts';
import { COMMIT, ROLLBACK } from '../in-transaction.ts';
import { type NodeSqliteConnection, openConnection } from './connection.ts';
import { BEGIN_IMMEDIATE } from './contention.ts';
import { GroupCommit } from './group-commit.ts';
import { TransactionPerUnit } from './transaction-per-unit.ts';
import type { UnitConnection, UnitTransactions, WriteConnection } from './unit-transactions.ts';

export interface NodeSqliteDialectOptions {
  /** Share one transaction among the units of work of one event-loop turn (default: true). */
  groupCommit?: boolean;
  /** Called before a transaction begins on the write connection. */
  onWriterActive?: () => void;
}

/**
 * Kysely over Node's built-in `node:sqlite`: no native add-on, nothing to install.
 * (Kysely's own SQLite driver expects better-sqlite3's statement API.)
 *
 * The database has one write connection, handed to one user at a time under a FIFO lock: a
 * unit of work holds it while its work runs, so requests that interleave at an `await`
 * never mix their writes. Units of work go through `transaction`, straight to
 * `GroupCommit` or `TransactionPerUnit` (ADR 7: Kysely's connection provider costs a dozen
 * promises per command); Kysely's own users (migrations, the health check) take the same
 * lock through the driver, and their transactions begin `IMMEDIATE`, never inside a group.
 */
export class NodeSqliteDialect implements Dialect {
  readonly #driver: NodeSqliteDriver;

  constructor(path: string, options: NodeSqliteDialectOptions = {}) {
    this.#driver = new NodeSqliteDriver(path, options);
  }

  /** Whether nothing holds the write connection and no transaction is left open on it. */
  get writerIdle(): boolean {
    return this.#driver.idle;
  }

  createDriver(): Driver {
    return this.#driver;
  }

  /** Runs `work` as a unit of work; settles once its COMMIT has answered. */
  transaction<T>(work: (connection: UnitConnection) => Promise<T>): Promise<T> {
    return this.#driver.units.run(work);
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

class NodeSqliteDriver implements Driver {
  readonly units: UnitTransactions;
  readonly #path: string;
  readonly #writer: WriteConnection;
  #connection: NodeSqliteConnection | undefined;
  #destroyed = false;

  constructor(
    path: string,
    { groupCommit = true, onWriterActive = () => {} }: NodeSqliteDialectOptions,
  ) {
    this.#path = path;
    this.#writer = {
      open: () => this.#open(),
      lock: new FifoSemaphore(),
      becomingActive: onWriterActive,
    };
    this.units = groupCommit ? new GroupCommit(this.#writer) : new TransactionPerUnit(this.#writer);
  }

  get idle(): boolean {
    return !this.#writer.lock.inUse && !this.units.open;
  }

  async init(): Promise<void> {
    this.#open();
  }

  /** The connection, opened on first use (by Kysely's `init` or by a unit of work). */
  #open(): NodeSqliteConnection {
    if (this.#destroyed) throw new Error('The SQLite database is closed.');
    this.#connection ??= openConnection(this.#path);
    return this.#connection;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#open();
    const lock = this.#writer.lock;
    if (!lock.tryAcquire()) await lock.acquire();
    this.#writer.becomingActive();
    // Kysely's queries and transactions run outside any group: commit the open one first.
    this.units.commitOpen();
    return connection;
  }

  async releaseConnection(): Promise<void> {
    this.#writer.lock.release();
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
    await this.units.flush();
    this.#destroyed = true;
    this.#connection?.close();
    this.#connection = undefined;
  }
}
