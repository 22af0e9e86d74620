import type { DomainEvent } from './domain-event.ts';
import { Entity } from './entity.ts';

/**
 * A consistency boundary. It records the events its behaviour causes; the unit of work
 * collects them when the transaction commits. `version` is the optimistic-concurrency
 * token the aggregate was loaded with (0 for one not stored yet): the repository refuses
 * to save over a version that changed in the meantime.
 */
export abstract class AggregateRoot<
  Id extends string | number,
  Event extends DomainEvent = DomainEvent,
> extends Entity<Id> {
  readonly version: number;
  #pendingEvents: Event[] = [];

  protected constructor(id: Id, version: number) {
    super(id);
    this.version = version;
  }

  protected record(event: Event): void {
    this.#pendingEvents.push(event);
  }

  /** Hands over the recorded events and forgets them, so each is published once. */
  pullEvents(): Event[] {
    const events = this.#pendingEvents;
    this.#pendingEvents = [];
    return events;
  }
}
