import type { DomainEvent } from './domain-event.ts';
import { Entity } from './entity.ts';

/**
 * A consistency boundary. It records the events its behaviour causes; the unit of work
 * collects them when the transaction commits. `version` is the optimistic-concurrency
 * token of the stored aggregate (0 for one not stored yet): the repository refuses to save
 * over a version that changed in the meantime, and tells the aggregate its new version once
 * it has stored it (so saving it twice in one unit of work is not a conflict with itself).
 */
export abstract class AggregateRoot<
  Id extends string | number,
  Event extends DomainEvent = DomainEvent,
> extends Entity<Id> {
  #version: number;
  #pendingEvents: Event[] = [];

  protected constructor(id: Id, version: number) {
    super(id);
    this.#version = version;
  }

  get version(): number {
    return this.#version;
  }

  /** For repositories: the aggregate is now stored with this version. */
  markStored(version: number): void {
    this.#version = version;
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
