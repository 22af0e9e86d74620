import type { FifoSemaphore } from '../../fifo-semaphore.ts';
import type { NodeSqliteConnection } from './connection.ts';

/**
 * How the driver's units of work become SQLite transactions: the units of one event-loop
 * turn sharing one (`GroupCommit`, the default), or one each (`TransactionPerUnit`, the
 * simple path: `groupCommit: false`). Either way a unit's promise settles only after its
 * COMMIT, and a busy error from another process becomes a `ConcurrencyConflict`.
 */
export interface UnitTransactions {
  /** Runs `work` as a unit of work on the write connection, holding the connection lock. */
  run<T>(work: (connection: UnitConnection) => Promise<T>): Promise<T>;
  /** Whether a transaction stays open between units of work (a group waiting for its COMMIT). */
  readonly open: boolean;
  /** Commits the open transaction, if any, now: the caller holds the connection lock. */
  commitOpen(): void;
  /** Commits the open transaction, if any, as soon as the lock is free, ahead of those waiting. */
  flush(): Promise<void>;
}

/** What a unit of work runs its statements on: the write connection, or a view of it. */
export type UnitConnection = Pick<NodeSqliteConnection, 'executeQuery' | 'executeSync'>;

/** What a `UnitTransactions` needs of the driver. */
export interface WriteConnection {
  /** The connection, opened on first use; throws once the database is closed. */
  open(): NodeSqliteConnection;
  /** Whoever uses the connection holds it: a unit of work, one of Kysely's users, a COMMIT. */
  readonly lock: FifoSemaphore;
  /** Called before a transaction begins on the connection (see `NodeSqliteDialect`). */
  becomingActive(): void;
}
