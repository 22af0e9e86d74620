import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { InvalidRefreshToken } from '../../domain/errors.ts';
import type { SessionLifetimes } from '../../domain/session.ts';
import type { AccessTokens, AccountsUnitOfWork, RefreshTokens, TokenPair } from '../ports.ts';

export interface RefreshSession {
  refreshToken: string;
}

export const RefreshSession = commandType<RefreshSession, TokenPair>('accounts.RefreshSession');

export interface RefreshSessionDeps {
  uow: AccountsUnitOfWork;
  tokens: AccessTokens;
  refreshTokens: RefreshTokens;
  clock: Clock;
  lifetimes: SessionLifetimes;
}

/**
 * The OAuth2 refresh grant with rotation: a current refresh token of an active session gives
 * a new access token and a new refresh token, and is used up. A used-up token presented
 * again means two parties hold it (one of them stole it), and nobody can tell which is the
 * owner: the whole session is revoked, so both must log in again (OAuth 2.0 Security BCP,
 * reuse detection). The revocation commits before the refusal is answered, and the refusal
 * names the revoked session, for the HTTP route to log as a security event on the request's
 * logger (with its request id, which a log line written here could not carry).
 */
export async function refreshSession(
  command: RefreshSession,
  deps: RefreshSessionDeps,
): Promise<TokenPair> {
  const presented = deps.refreshTokens.hashOf(command.refreshToken);
  const next = deps.refreshTokens.generate();
  const outcome = await deps.uow.run(async ({ sessions }) => {
    const found = await sessions.findByRefreshToken(presented);
    const now = deps.clock.now();
    if (!found?.session.isActiveAt(now)) return { refused: true as const };
    const { session } = found;
    if (found.retired) {
      session.revoke(now);
      await sessions.save(session);
      return { refused: true as const, reused: { sessionId: session.id, userId: session.userId } };
    }
    session.rotate(next.hash, now, deps.lifetimes);
    await sessions.save(session);
    return { refused: false as const, caller: { userId: session.userId, sessionId: session.id } };
  });
  if (outcome.refused) throw new InvalidRefreshToken(outcome.reused);
  const access = await deps.tokens.issue(outcome.caller);
  return { ...access, refreshToken: next.token };
}
