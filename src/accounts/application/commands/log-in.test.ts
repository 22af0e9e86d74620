import { beforeEach, describe, expect, test } from 'vitest';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { InvalidCredentials } from '../../domain/errors.ts';
import type { Password } from '../../domain/password.ts';
import type { User } from '../../domain/user.ts';
import type { AccountsRepositories } from '../ports.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { logIn } from './log-in.ts';

let deps: ReturnType<typeof fakeAccounts>;
const client = { clientAddress: '192.0.2.1', userAgent: 'test' };
beforeEach(() => {
  deps = fakeAccounts();
});

/** Runs `change` in a unit of work of its own after the hasher checked the password. */
function whileThePasswordIsChecked(change: (repositories: AccountsRepositories) => Promise<void>) {
  const verify = deps.hasher.verify.bind(deps.hasher);
  deps.hasher.verify = async (password, hash) => {
    const matches = await verify(password, hash);
    await deps.uow.run(change);
    return matches;
  };
}

describe('LogIn', () => {
  test('gives a token for the right password', async () => {
    const user = await register(deps);

    const token = await logIn(
      { ...client, email: 'ALICE@example.com', password: 'correct horse' },
      deps,
    );

    expect((await deps.tokens.verify(token.accessToken)).userId).toBe(user.id);
    expect(token.refreshToken).toBe('refresh-1');
  });

  test('starts a session, seen at that address with that user agent', async () => {
    const user = await register(deps);

    const token = await logIn(
      { ...client, email: 'alice@example.com', password: 'correct horse' },
      deps,
    );

    const { sessionId } = await deps.tokens.verify(token.accessToken);
    const [session] = await deps.sessions.activeSessionsOf(user.id as UserId, deps.clock.now());
    expect(session).toMatchObject({ id: sessionId, clientAddress: '192.0.2.1', userAgent: 'test' });
  });

  test('takes the password in any Unicode form of it (NFKC), as registration stored it', async () => {
    const user = await register(deps, 'alice@example.com', 'café au lait');

    const token = await logIn(
      { ...client, email: 'alice@example.com', password: 'cafe\u0301 au lait' },
      deps,
    );

    expect((await deps.tokens.verify(token.accessToken)).userId).toBe(user.id);
  });

  test('every failure is the same InvalidCredentials, after the same hashing work', async () => {
    await register(deps);
    const attempts = [
      { email: 'alice@example.com', password: 'wrong password' },
      { email: 'nobody@example.com', password: 'correct horse' },
      { email: 'not an email', password: 'correct horse' },
    ];

    for (const attempt of attempts) {
      const before = deps.hasher.verifications;
      const error = await logIn({ ...client, ...attempt }, deps).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCredentials);
      expect((error as Error).message).toBe('Invalid email or password');
      expect(deps.hasher.verifications).toBe(before + 1);
    }
  });
});

describe('LogIn and a deleted account', () => {
  test('no session is started for an account deleted while the password was checked', async () => {
    const user = await register(deps);
    whileThePasswordIsChecked(async ({ users }) => {
      await users.remove((await users.findById(user.id as UserId)) as User);
    });

    const attempt = logIn({ ...client, email: user.email, password: 'correct horse' }, deps);

    await expect(attempt).rejects.toThrow(InvalidCredentials);
    expect(await deps.sessions.activeSessionsOf(user.id as UserId, deps.clock.now())).toEqual([]);
  });

  test('no session is started with a password changed while it was checked', async () => {
    const user = await register(deps);
    whileThePasswordIsChecked(async ({ users }) => {
      const found = (await users.findById(user.id as UserId)) as User;
      found.changePassword(await deps.hasher.hash('a brand new password' as Password));
      await users.save(found);
    });

    const attempt = logIn({ ...client, email: user.email, password: 'correct horse' }, deps);

    await expect(attempt).rejects.toThrow(InvalidCredentials);
    expect(await deps.sessions.activeSessionsOf(user.id as UserId, deps.clock.now())).toEqual([]);
  });
});
