import type { DomainEvent } from '../../domain/domain-event.ts';
import {
  type AggregateTracker,
  type EventPublisher,
  TrackedAggregates,
  type UnitOfWork,
} from '../unit-of-work.ts';

/** What the fake unit of work needs of a store: `InMemoryStore` has it. */
export interface TransactionalStore {
  begin(): void;
  commit(): void;
  rollback(): void;
}

/**
 * The unit of work of the unit tests: in-memory stores instead of tables, the same
 * contract as the real one (commit on success, rollback on error, events after commit).
 */
export class FakeUnitOfWork<Repositories> implements UnitOfWork<Repositories> {
  readonly #stores: readonly TransactionalStore[];
  readonly #repositories: (tracker: AggregateTracker) => Repositories;
  readonly #publish: EventPublisher;
  readonly published: DomainEvent[] = [];
  commits = 0;
  rollbacks = 0;

  constructor(options: {
    stores: readonly TransactionalStore[];
    repositories: (tracker: AggregateTracker) => Repositories;
    publish?: EventPublisher;
  }) {
    this.#stores = options.stores;
    this.#repositories = options.repositories;
    this.#publish = options.publish ?? (async () => {});
  }

  #queue: Promise<unknown> = Promise.resolve();

  /** Runs one at a time, like transactions on the real SQLite database. */
  run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const result = this.#queue.then(() => this.#runAlone(work));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #runAlone<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const tracker = new TrackedAggregates();
    for (const store of this.#stores) store.begin();
    let result: T;
    try {
      result = await work(this.#repositories(tracker));
    } catch (error) {
      for (const store of this.#stores) store.rollback();
      this.rollbacks++;
      throw error;
    }
    for (const store of this.#stores) store.commit();
    this.commits++;
    const events = tracker.pullEvents();
    this.published.push(...events);
    await this.#publish(events);
    return result;
  }
}
