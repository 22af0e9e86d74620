import type { Clock } from '../../../building-blocks/application/clock.ts';
import {
  type Authenticator,
  NotAuthenticated,
} from '../../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { AccessTokens } from '../ports.ts';
import type { UserReadModel } from './user-read-model.ts';

/** How long a user, once found, is taken to still exist without asking the database again. */
export const KNOWN_USER_TTL_MS = 10_000;
const KNOWN_USERS_MAX = 10_000;

/**
 * What `accounts` offers the other contexts: a valid token of a user who still exists
 * identifies the caller; anything else is a 401.
 *
 * Every request asks this, so a user found in the database is remembered for a few seconds,
 * and a token verified before (see `AccessTokens.recognise`) of a user remembered so is
 * recognised without waiting for anything. Accounts cannot be deleted today; the day they
 * can, deletion must also forget the user here (or this TTL is how long a deleted user's
 * token keeps working).
 */
export function createAuthenticator({
  tokens,
  users,
  clock,
}: {
  tokens: AccessTokens;
  users: UserReadModel;
  clock: Clock;
}): Authenticator {
  const knownUntil = new Map<UserId, number>();

  const isKnown = (userId: UserId, now: number) => (knownUntil.get(userId) ?? 0) > now;

  const exists = async (userId: UserId): Promise<boolean> => {
    const now = clock.now().getTime();
    if (isKnown(userId, now)) return true;
    if (!(await users.findUser(userId))) return false;
    if (knownUntil.size >= KNOWN_USERS_MAX) knownUntil.clear();
    knownUntil.set(userId, now + KNOWN_USER_TTL_MS);
    return true;
  };

  return {
    recognise(accessToken) {
      const userId = tokens.recognise(accessToken);
      return userId !== undefined && isKnown(userId, clock.now().getTime()) ? userId : undefined;
    },
    async authenticate(accessToken) {
      const userId = await tokens.verify(accessToken);
      if (!(await exists(userId))) {
        throw new NotAuthenticated('The user this token was issued to does not exist.');
      }
      return userId;
    },
  };
}
