import { setImmediate } from 'node:timers';
import { CompiledQuery, type QueryResult } from 'kysely';
import { ConcurrencyConflict } from '../../../application/concurrency-conflict.ts';
import { COMMIT, mayWrite, ROLLBACK } from '../in-transaction.ts';
import { type NodeSqliteConnection, promiseOf } from './connection.ts';
import { ContentionWindow } from './contention.ts';
import type { UnitConnection, UnitTransactions, WriteConnection } from './unit-transactions.ts';

/** Each unit of work's part of a group: undone alone when the unit fails. */
const SAVEPOINT = CompiledQuery.raw('savepoint unit_of_work');
const RELEASE = CompiledQuery.raw('release unit_of_work');
const ROLLBACK_TO = CompiledQuery.raw('rollback to unit_of_work');

/** The transaction the units of work of one turn of the event loop share. */
interface Group {
  connection: NodeSqliteConnection;
  deferred: boolean;
  /** Units that finished their work, each waiting for the COMMIT to answer. */
  members: { committed(): void; failed(error: unknown): void }[];
}

/**
 * Group commit (ADR 8): the units of work that run in one turn of the event loop share one
 * transaction, each under its own savepoint, and one COMMIT at the end of the turn
 * (`setImmediate`). On SQLite a COMMIT costs about as much as the rest of a command (it
 * writes each changed page to the WAL and takes and releases file locks), and a busy server
 * runs several commands per turn.
 *
 * Nothing changes for the units: a unit's promise settles only after the COMMIT, so no
 * answer is given for writes that are not committed; a unit that fails rolls back to its
 * savepoint, alone; a unit sees the writes of the units before it in its group, as it would
 * had they committed (the order is the same, and they commit or fail with it). When the
 * COMMIT fails, every unit of the group fails; when another process gets in a deferred
 * group's way (see `ContentionWindow`), the whole group rolls back and every unit in it
 * fails with `ConcurrencyConflict`, which the bus retries. A unit's savepoint is taken only
 * before its first statement that may write (`SavepointOnWrite`): a command that changes
 * nothing runs no SAVEPOINT and no RELEASE.
 */
export class GroupCommit implements UnitTransactions {
  readonly #writer: WriteConnection;
  readonly #contention = new ContentionWindow();
  #group: Group | undefined;
  #commitScheduled = false;

  constructor(writer: WriteConnection) {
    this.#writer = writer;
  }

  get open(): boolean {
    return this.#group !== undefined;
  }

  async run<T>(work: (connection: UnitConnection) => Promise<T>): Promise<T> {
    const connection = this.#writer.open();
    const lock = this.#writer.lock;
    if (!lock.tryAcquire()) await lock.acquire();
    let group: Group | undefined;
    const unit = new SavepointOnWrite(connection);
    let result: T;
    try {
      group = this.#join(connection);
      result = await work(unit);
      if (unit.savepointTaken) connection.executeSync(RELEASE);
    } catch (error) {
      throw this.#failUnit(group, unit, error);
    } finally {
      // Released before the COMMIT: the next unit joins the group. The group ends with the
      // turn, even when this unit failed and none other joins it.
      lock.release();
      if (this.#group) this.#scheduleCommit();
    }
    await new Promise<void>((resolve, reject) => {
      group.members.push({ committed: resolve, failed: reject });
    });
    return result;
  }

  commitOpen(): void {
    const group = this.#group;
    if (!group) return;
    this.#group = undefined;
    try {
      group.connection.executeSync(COMMIT);
    } catch (error) {
      this.#abandon(group, this.#contention.asConflict(group.deferred, error) ?? error);
      return;
    }
    for (const member of group.members) member.committed();
  }

  async flush(): Promise<void> {
    if (!this.#group) return;
    const lock = this.#writer.lock;
    if (!lock.tryAcquire()) await lock.acquire({ first: true });
    try {
      this.commitOpen();
    } finally {
      lock.release();
    }
  }

  /** The open group, begun now when there is none. */
  #join(connection: NodeSqliteConnection): Group {
    if (!this.#group) {
      this.#writer.becomingActive();
      const { statement, deferred } = this.#contention.begin();
      connection.executeSync(statement);
      this.#group = { connection, deferred, members: [] };
    }
    return this.#group;
  }

  /**
   * Undoes a failed unit and says why it failed. Its own savepoint is enough, and a unit that
   * took none wrote nothing, unless another process got in the group's way, the undo itself
   * failed, or SQLite ended the whole transaction (it does on some errors, a full disk or an
   * I/O error, even in a read): then the whole group rolls back and every other unit in it
   * fails with `ConcurrencyConflict`, which the bus retries.
   */
  #failUnit(group: Group | undefined, unit: SavepointOnWrite, error: unknown): unknown {
    if (!group) return error; // BEGIN failed: there is no group
    const conflict = this.#contention.asConflict(group.deferred, error);
    const undone = unit.savepointTaken
      ? undoUnit(group.connection)
      : group.connection.inTransaction;
    if (!conflict && undone) return error;
    this.#abandon(group, conflict ?? new ConcurrencyConflict('The data'));
    return conflict ?? error;
  }

  /** Rolls the whole group back; each of its finished units fails with `reason`. */
  #abandon(group: Group, reason: unknown): void {
    if (this.#group === group) this.#group = undefined;
    try {
      group.connection.executeSync(ROLLBACK);
    } catch {}
    for (const member of group.members) member.failed(reason);
  }

  /** Once per turn of the event loop, after the units that ran in it. */
  #scheduleCommit(): void {
    if (this.#commitScheduled) return;
    this.#commitScheduled = true;
    setImmediate(() => {
      this.#commitScheduled = false;
      // Ahead of the units waiting for the connection: they start the next group.
      void this.flush();
    });
  }
}

/**
 * The write connection as one unit of a group uses it: the unit's savepoint is taken just
 * before its first statement that may write (`mayWrite`).
 */
class SavepointOnWrite implements UnitConnection {
  readonly #connection: NodeSqliteConnection;
  #savepointTaken = false;

  constructor(connection: NodeSqliteConnection) {
    this.#connection = connection;
  }

  get savepointTaken(): boolean {
    return this.#savepointTaken;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return promiseOf(() => this.executeSync<R>(query));
  }

  executeSync<R>(query: CompiledQuery): QueryResult<R> {
    if (!this.#savepointTaken && mayWrite(query)) {
      this.#connection.executeSync(SAVEPOINT);
      this.#savepointTaken = true;
    }
    return this.#connection.executeSync<R>(query);
  }
}

/** Rolls back the unit's savepoint; false when even that failed. */
function undoUnit(connection: NodeSqliteConnection): boolean {
  try {
    connection.executeSync(ROLLBACK_TO);
    connection.executeSync(RELEASE);
    return true;
  } catch {
    return false;
  }
}
