import { beforeEach, describe, expect, test } from 'vitest';
import { NotAuthenticated } from '../../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { SessionId } from '../../domain/session.ts';
import { logIn } from '../commands/log-in.ts';
import { revokeSession } from '../commands/revoke-session.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { createAuthenticator } from './authenticate.ts';

let deps: ReturnType<typeof fakeAccounts>;
let authenticator: ReturnType<typeof createAuthenticator>;
beforeEach(() => {
  deps = fakeAccounts();
  authenticator = createAuthenticator(deps);
});

async function loggedIn(email = 'alice@example.com') {
  const user = await register(deps, email);
  const pair = await logIn(
    { email, password: 'correct horse', clientAddress: '::1', userAgent: 'test' },
    deps,
  );
  return { userId: user.id as UserId, token: pair.accessToken };
}

describe('Authenticator', () => {
  test('a token of an active session identifies the user and the session', async () => {
    const { userId, token } = await loggedIn();

    const caller = await authenticator.authenticate(token);

    expect(caller.userId).toBe(userId);
    expect(await deps.sessions.statusOf(caller.sessionId as SessionId)).toBeDefined();
  });

  test('a token of a revoked session is refused at once', async () => {
    const { token } = await loggedIn();
    const caller = await authenticator.authenticate(token);

    await revokeSession(caller, deps);

    await expect(authenticator.authenticate(token)).rejects.toThrow(NotAuthenticated);
  });

  test('a token of a session past its idle end is refused', async () => {
    const { token } = await loggedIn();

    deps.clock.advanceBy(deps.lifetimes.idleSeconds * 1000);

    await expect(authenticator.authenticate(token)).rejects.toThrow(NotAuthenticated);
  });

  test('a token naming a session of someone else, or none that exists, is refused', async () => {
    const alice = await loggedIn();
    const bob = await loggedIn('bob@example.com');
    const bobs = await authenticator.authenticate(bob.token);
    const forged = (await deps.tokens.issue({ userId: alice.userId, sessionId: bobs.sessionId }))
      .accessToken;
    const missing = (await deps.tokens.issue({ userId: alice.userId, sessionId: 'gone' }))
      .accessToken;

    await expect(authenticator.authenticate(forged)).rejects.toThrow(NotAuthenticated);
    await expect(authenticator.authenticate(missing)).rejects.toThrow(NotAuthenticated);
  });
});
