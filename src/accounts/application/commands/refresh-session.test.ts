import { beforeEach, describe, expect, test } from 'vitest';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { InvalidRefreshToken } from '../../domain/errors.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { logIn } from './log-in.ts';
import { refreshSession } from './refresh-session.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

async function loggedIn() {
  const user = await register(deps);
  const pair = await logIn(
    { email: user.email, password: 'correct horse', clientAddress: '::1', userAgent: 'test' },
    deps,
  );
  return { user, pair };
}

describe('RefreshSession', () => {
  test('a current refresh token gives a new pair in the same session', async () => {
    const { pair } = await loggedIn();

    const next = await refreshSession({ refreshToken: pair.refreshToken }, deps);

    expect(next.refreshToken).not.toBe(pair.refreshToken);
    expect(await deps.tokens.verify(next.accessToken)).toEqual(
      await deps.tokens.verify(pair.accessToken),
    );
  });

  test('a used refresh token presented again revokes the session, and the refusal names it', async () => {
    const { user, pair } = await loggedIn();
    const next = await refreshSession({ refreshToken: pair.refreshToken }, deps);

    const refused = await refreshSession({ refreshToken: pair.refreshToken }, deps).catch(
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(InvalidRefreshToken);
    expect((refused as InvalidRefreshToken).revokedSession).toEqual({
      sessionId: expect.any(String),
      userId: user.id,
    });

    expect(await deps.sessions.activeSessionsOf(user.id as UserId, deps.clock.now())).toEqual([]);
    // The revoked session's current token is refused as any other: nothing more is revoked.
    await expect(refreshSession({ refreshToken: next.refreshToken }, deps)).rejects.toMatchObject({
      revokedSession: undefined,
    });
  });

  test('an unknown token, or one of a session idle too long, is refused, naming no revoked session', async () => {
    const { pair } = await loggedIn();
    await expect(refreshSession({ refreshToken: 'made-up' }, deps)).rejects.toMatchObject({
      code: 'invalid-refresh-token',
      revokedSession: undefined,
    });

    deps.clock.advanceBy(deps.lifetimes.idleSeconds * 1000);

    await expect(refreshSession({ refreshToken: pair.refreshToken }, deps)).rejects.toMatchObject({
      code: 'invalid-refresh-token',
      revokedSession: undefined,
    });
  });

  test('refreshing keeps a session alive only up to its absolute lifetime', async () => {
    let { pair } = await loggedIn();
    const step = (deps.lifetimes.idleSeconds - 1) * 1000;
    for (let t = step; t < deps.lifetimes.absoluteSeconds * 1000; t += step) {
      deps.clock.advanceBy(step);
      pair = await refreshSession({ refreshToken: pair.refreshToken }, deps);
    }
    deps.clock.advanceBy(step);

    await expect(refreshSession({ refreshToken: pair.refreshToken }, deps)).rejects.toThrow(
      InvalidRefreshToken,
    );
  });
});
