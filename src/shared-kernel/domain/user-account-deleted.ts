import { type DomainEvent, eventType } from '../../building-blocks/domain/domain-event.ts';

/**
 * Integration event: a person deleted their account. `accounts` raises it, `projects`
 * deletes what the person owned. Plain strings only, so it serialises as it is.
 */
export type UserAccountDeleted = DomainEvent<
  'accounts.UserAccountDeleted',
  { userId: string; occurredAt: string }
>;

export const UserAccountDeleted = eventType<UserAccountDeleted>('accounts.UserAccountDeleted');
