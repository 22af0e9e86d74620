import { inTransaction } from '../in-transaction.ts';
import { ContentionWindow } from './contention.ts';
import type { UnitConnection, UnitTransactions, WriteConnection } from './unit-transactions.ts';

/**
 * One transaction per unit of work, each committed on its own before the next unit gets the
 * connection (`groupCommit: false`): the simple path, for debugging and for comparing with
 * `GroupCommit` in the tests. It begins and converts busy errors as a group does
 * (`ContentionWindow`); a COMMIT costs more per command than a shared one.
 */
export class TransactionPerUnit implements UnitTransactions {
  readonly #writer: WriteConnection;
  readonly #contention = new ContentionWindow();
  readonly open = false;

  constructor(writer: WriteConnection) {
    this.#writer = writer;
  }

  async run<T>(work: (connection: UnitConnection) => Promise<T>): Promise<T> {
    const connection = this.#writer.open();
    const lock = this.#writer.lock;
    if (!lock.tryAcquire()) await lock.acquire();
    try {
      this.#writer.becomingActive();
      const { statement, deferred } = this.#contention.begin();
      try {
        return await inTransaction(
          (query) => connection.executeSync(query),
          statement,
          () => work(connection),
        );
      } catch (error) {
        throw this.#contention.asConflict(deferred, error) ?? error;
      }
    } finally {
      lock.release();
    }
  }

  commitOpen(): void {}

  async flush(): Promise<void> {}
}
