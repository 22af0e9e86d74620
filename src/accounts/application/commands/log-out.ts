import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { NotAuthenticated } from '../../../building-blocks/application/not-authenticated.ts';
import { SessionNotFound } from '../../domain/errors.ts';
import type { AccountsUnitOfWork } from '../ports.ts';
import { type RevokeSession, revokeSession } from './revoke-session.ts';

/** Ending the session the caller's own token belongs to. */
export type LogOut = RevokeSession;

export const LogOut = commandType<LogOut>('accounts.LogOut');

/**
 * A session that ended while the request ran (two logouts sent at once, its refresh token
 * reused elsewhere) answers what the request would have got a moment later: the 401 of a
 * token of an ended session, not a 404 for a session id the client never named.
 */
export async function logOut(
  command: LogOut,
  deps: { uow: AccountsUnitOfWork; clock: Clock },
): Promise<void> {
  try {
    await revokeSession(command, deps);
  } catch (error) {
    if (error instanceof SessionNotFound) {
      throw new NotAuthenticated('The session of this token has ended: log in again.');
    }
    throw error;
  }
}
