/** Something that happened in the domain. Plain data, so it can be logged, stored or sent. */
export interface DomainEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly payload: Payload;
}

/** The runtime handle of an event type: its name, a constructor and a type guard. */
export interface EventType<E extends DomainEvent> {
  readonly type: E['type'];
  create(payload: E['payload']): E;
  is(event: DomainEvent): event is E;
}

/**
 * Declares an event type once, for both the type checker and the bus:
 *
 *   export type UserAccountCreated = DomainEvent<'accounts.UserAccountCreated', {...}>;
 *   export const UserAccountCreated = eventType<UserAccountCreated>('accounts.UserAccountCreated');
 */
export function eventType<E extends DomainEvent>(type: E['type']): EventType<E> {
  return {
    type,
    create: (payload) => ({ type, payload }) as E,
    is: (event): event is E => event.type === type,
  };
}
