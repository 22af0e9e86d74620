import type { DomainEvent } from '../domain/domain-event.ts';

/**
 * One transaction per command. `run` gives the work the repositories of one context,
 * commits when the work resolves and rolls back when it throws. The events recorded by every
 * aggregate the repositories loaded or stored are committed with the work (the outbox) and
 * delivered after the commit; after a rollback, none are. An implementation may run `work`
 * again in a new transaction after a lost race (ADR 20): it loads what it decides on.
 */
export interface UnitOfWork<Repositories> {
  run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

/** What a repository tells its unit of work: "this aggregate took part". */
export interface AggregateTracker {
  track(aggregate: { pullEvents(): DomainEvent[] }): void;
}

/** Collects the aggregates a unit of work saw, and later their events. */
export class TrackedAggregates implements AggregateTracker {
  readonly #aggregates = new Set<{ pullEvents(): DomainEvent[] }>();

  track(aggregate: { pullEvents(): DomainEvent[] }): void {
    this.#aggregates.add(aggregate);
  }

  pullEvents(): DomainEvent[] {
    return [...this.#aggregates].flatMap((aggregate) => aggregate.pullEvents());
  }
}

/** Where a fake unit of work's committed events go in unit tests. */
export type EventPublisher = (events: readonly DomainEvent[]) => Promise<void>;
