import { beforeEach, describe, expect, test } from 'vitest';
import { NotAuthenticated } from '../../../building-blocks/application/not-authenticated.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { SessionId } from '../../domain/session.ts';
import { createAuthenticator } from '../queries/authenticate.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { logIn } from './log-in.ts';
import { logOut } from './log-out.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

/** The caller a logged-in user's access token proves. */
async function caller() {
  const user = await register(deps);
  const pair = await logIn(
    { email: user.email, password: 'correct horse', clientAddress: '::1', userAgent: 'test' },
    deps,
  );
  const { userId, sessionId } = await createAuthenticator(deps).authenticate(pair.accessToken);
  return { userId: userId as UserId, sessionId: sessionId as SessionId };
}

describe('LogOut', () => {
  test('ends the session of the token', async () => {
    const me = await caller();

    await logOut(me, deps);

    expect((await deps.sessions.statusOf(me.sessionId))?.revokedAt).toEqual(deps.clock.now());
  });

  test('a session that ended while the request ran is a 401, as a moment later (not a 404)', async () => {
    const me = await caller();
    // A second logout sent at the same time passed authentication before the first ended it.
    await logOut(me, deps);

    await expect(logOut(me, deps)).rejects.toThrow(NotAuthenticated);
  });
});
