import type { Clock } from '../../../building-blocks/application/clock.ts';
import {
  type Authenticator,
  NotAuthenticated,
} from '../../../shared-kernel/application/authenticator.ts';
import type { SessionId } from '../../domain/session.ts';
import type { AccessTokens } from '../ports.ts';
import { isActive, type SessionReadModel } from './session-read-model.ts';

/**
 * What `accounts` offers the other contexts: a valid token of a session that is still active
 * identifies the caller; anything else is a 401.
 *
 * Every request asks for its session's status: a logout, a password change or a deleted
 * account ends the session's tokens at once. How fresh the answer is, is the read model's
 * promise (`SessionReadModel.statusOf`); expiry is compared here with the time of each
 * request, never cached. (The signature check is cached, in `AccessTokens`.)
 */
export function createAuthenticator({
  tokens,
  sessions,
  clock,
}: {
  tokens: AccessTokens;
  sessions: SessionReadModel;
  clock: Clock;
}): Authenticator {
  return {
    async authenticate(accessToken) {
      const caller = await tokens.verify(accessToken);
      const status = await sessions.statusOf(caller.sessionId as SessionId);
      if (!status || status.userId !== caller.userId || !isActive(status, clock.now())) {
        throw new NotAuthenticated('The session of this token has ended: log in again.');
      }
      return caller;
    },
  };
}
