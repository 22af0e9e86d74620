import {
  type AggregateTracker,
  type EventPublisher,
  TrackedAggregates,
  type UnitOfWork,
} from '../application/unit-of-work.ts';
import type { Database, SqlTransaction } from './database/database.ts';

/**
 * The unit of work over a real database: one transaction per `run` (see
 * `Database.transaction`; on SQLite, a savepoint in the transaction that the units of work of
 * one event-loop turn share). Repositories are built inside it, bound to the transaction, and
 * report every aggregate they load or store; after the commit their events go to `publish`.
 * A rejected `run` rolls back and publishes nothing.
 *
 * Phase 2 (the transactional outbox) replaces `publish` with a write of the events into
 * the outbox table inside the transaction; handlers and repositories do not change.
 */
export class KyselyUnitOfWork<Tables, Repositories> implements UnitOfWork<Repositories> {
  readonly #database: Database;
  readonly #repositories: (tx: SqlTransaction<Tables>, tracker: AggregateTracker) => Repositories;
  readonly #publish: EventPublisher;

  constructor(
    database: Database,
    repositories: (tx: SqlTransaction<Tables>, tracker: AggregateTracker) => Repositories,
    publish: EventPublisher,
  ) {
    this.#database = database;
    this.#repositories = repositories;
    this.#publish = publish;
  }

  async run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const tracker = new TrackedAggregates();
    const result = await this.#database.transaction((tx) =>
      work(this.#repositories(tx as unknown as SqlTransaction<Tables>, tracker)),
    );
    const events = tracker.pullEvents();
    if (events.length > 0) await this.#publish(events);
    return result;
  }
}
