import { beforeEach, describe, expect, test } from 'vitest';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { changePassword } from '../application/commands/change-password.ts';
import { deleteAccount } from '../application/commands/delete-account.ts';
import { logIn } from '../application/commands/log-in.ts';
import { refreshSession } from '../application/commands/refresh-session.ts';
import { revokeSession } from '../application/commands/revoke-session.ts';
import { fakeAccounts } from '../application/testing/fake-accounts.ts';
import { register } from '../application/testing/register.ts';
import type { SessionId } from '../domain/session.ts';
import { forgettingChangedSessions } from './forget-changed-sessions.ts';
import { CachedSessionReadModel } from './session-status-cache.ts';

// The handlers of `accounts`, run through the unit of work as the module wires it on
// PostgreSQL, with a cache that hears no notification at all: what it forgets, it forgets
// because this process made the change.
let deps: ReturnType<typeof fakeAccounts>;
let cache: CachedSessionReadModel;
let uow: ReturnType<typeof forgettingChangedSessions>;
beforeEach(() => {
  deps = fakeAccounts();
  cache = new CachedSessionReadModel(deps.sessions, deps.clock, {
    maxAgeMs: 60_000,
    maxEntries: 100,
  });
  cache.listening();
  uow = forgettingChangedSessions(deps.uow, cache);
});

const password = 'correct horse';

async function session(email = 'alice@example.com') {
  const pair = await logIn({ email, password, clientAddress: '::1', userAgent: 'test' }, deps);
  const caller = await deps.tokens.verify(pair.accessToken);
  const sessionId = caller.sessionId as SessionId;
  // A request authenticated with it: its status is now kept.
  expect(await cache.statusOf(sessionId)).toMatchObject({ revokedAt: null });
  return { ...pair, userId: caller.userId as UserId, sessionId };
}

describe('a unit of work that changes sessions, on the process that ran it', () => {
  test('a logout: the session is seen revoked by the very next request', async () => {
    await register(deps);
    const mine = await session();

    await revokeSession(mine, { ...deps, uow });

    expect(await cache.statusOf(mine.sessionId)).toMatchObject({ revokedAt: expect.any(Date) });
  });

  test("a password change: the user's other sessions are seen revoked, this one is not", async () => {
    await register(deps);
    const mine = await session();
    const other = await session();

    await changePassword(
      {
        userId: mine.userId,
        sessionId: mine.sessionId,
        currentPassword: password,
        newPassword: 'a brand new password',
      },
      { ...deps, uow },
    );

    expect(await cache.statusOf(other.sessionId)).toMatchObject({ revokedAt: expect.any(Date) });
    expect(await cache.statusOf(mine.sessionId)).toMatchObject({ revokedAt: null });
  });

  test('an account deletion: its sessions are gone', async () => {
    await register(deps);
    const mine = await session();

    await deleteAccount({ userId: mine.userId, password }, { ...deps, uow });

    expect(await cache.statusOf(mine.sessionId)).toBeUndefined();
  });

  test('a refresh token used twice: the session it revoked is seen revoked', async () => {
    await register(deps);
    const mine = await session();
    await refreshSession({ refreshToken: mine.refreshToken }, { ...deps, uow });
    await cache.statusOf(mine.sessionId);

    await expect(
      refreshSession({ refreshToken: mine.refreshToken }, { ...deps, uow }),
    ).rejects.toThrow();

    expect(await cache.statusOf(mine.sessionId)).toMatchObject({ revokedAt: expect.any(Date) });
  });

  test('forgets once the change is committed, not before', async () => {
    await register(deps);
    const mine = await session();
    const commitsWhenForgotten: number[] = [];
    const watching = forgettingChangedSessions(deps.uow, {
      sessionChanged: () => void commitsWhenForgotten.push(deps.uow.commits),
      sessionsOfUserChanged: () => void commitsWhenForgotten.push(deps.uow.commits),
    });
    const commitsBefore = deps.uow.commits;

    await revokeSession(mine, { ...deps, uow: watching });

    expect(commitsWhenForgotten).toEqual([commitsBefore + 1]);
  });
});
