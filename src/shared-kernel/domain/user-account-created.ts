import { type DomainEvent, eventType } from '../../building-blocks/domain/domain-event.ts';

/**
 * Integration event: a person registered. `accounts` raises it, `projects` reacts to it.
 * It lives in the shared kernel because it is a contract between the two contexts.
 * Plain strings only, so it serialises as it is.
 */
export type UserAccountCreated = DomainEvent<
  'accounts.UserAccountCreated',
  { userId: string; email: string; occurredAt: string }
>;

export const UserAccountCreated = eventType<UserAccountCreated>('accounts.UserAccountCreated');
