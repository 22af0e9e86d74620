import { z } from 'zod';
import { messageContract } from '../../building-blocks/messaging/contract.ts';
import type { UserAccountCreated } from '../domain/user-account-created.ts';
import type { UserAccountDeleted } from '../domain/user-account-deleted.ts';

// The integration events `accounts` publishes. Owned by `accounts`: a change here is a change
// of its published contract (a new version beside the old one, not an edit of it).

export const UserAccountCreatedV1 = messageContract<UserAccountCreated>(
  'accounts.UserAccountCreated',
  1,
  z.object({
    userId: z.uuid(),
    email: z.email(),
    occurredAt: z.iso.datetime({ offset: true }),
  }),
);

export const UserAccountDeletedV1 = messageContract<UserAccountDeleted>(
  'accounts.UserAccountDeleted',
  1,
  z.object({ userId: z.uuid(), occurredAt: z.iso.datetime({ offset: true }) }),
);

export const accountsPublishes = [UserAccountCreatedV1, UserAccountDeletedV1];
