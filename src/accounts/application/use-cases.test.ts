import { beforeEach, describe, expect, test } from 'vitest';
import { fromJson, toJson } from '../../building-blocks/application/json.ts';
import { NotAuthenticated } from '../../shared-kernel/application/authenticator.ts';
import { InvalidEmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { EmailAddressAlreadyTaken, InvalidCredentials } from '../domain/errors.ts';
import { PasswordRulesNotMet } from '../domain/password.ts';
import { createAuthenticator, KNOWN_USER_TTL_MS } from './authenticate.ts';
import { changeEmailAddress } from './commands/change-email-address.ts';
import { logIn } from './commands/log-in.ts';
import { registerUser } from './commands/register-user.ts';
import { getCurrentUser } from './queries/get-current-user.ts';
import { fakeAccounts } from './testing/fake-accounts.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

const register = (email = 'alice@example.com', password = 'correct horse') =>
  registerUser({ email, password }, deps);

describe('RegisterUser', () => {
  test('stores the user with a normalised email and a hashed password', async () => {
    const user = await register('  Alice@Example.com ');

    expect(user.email).toBe('alice@example.com');
    const stored = deps.store.get(user.id as UserId);
    expect(stored).toMatchObject({
      email: 'alice@example.com',
      passwordHash: 'hashed:correct horse',
    });
  });

  test('publishes UserAccountCreated after the commit', async () => {
    const user = await register();

    expect(
      deps.uow.published.map((e) => [e.type, (e.payload as { userId: string }).userId]),
    ).toEqual([['accounts.UserAccountCreated', user.id]]);
  });

  test('refuses an email that is taken, whatever its case, and writes nothing more', async () => {
    await register('alice@example.com');

    await expect(register('ALICE@example.com')).rejects.toThrow(EmailAddressAlreadyTaken);
    expect(deps.store.values()).toHaveLength(1);
    expect(deps.uow.published).toHaveLength(1);
  });

  test('refuses a bad email or password before writing anything', async () => {
    await expect(register('not-an-email')).rejects.toThrow(InvalidEmailAddress);
    await expect(register('bob@example.com', 'short')).rejects.toThrow(PasswordRulesNotMet);
    expect(deps.store.values()).toEqual([]);
  });
});

describe('LogIn', () => {
  test('gives a token for the right password', async () => {
    const user = await register();

    const token = await logIn({ email: 'ALICE@example.com', password: 'correct horse' }, deps);

    expect(await deps.tokens.verify(token.accessToken)).toBe(user.id);
  });

  test('every failure is the same InvalidCredentials, after the same hashing work', async () => {
    await register();
    const attempts = [
      { email: 'alice@example.com', password: 'wrong password' },
      { email: 'nobody@example.com', password: 'correct horse' },
      { email: 'not an email', password: 'correct horse' },
    ];

    for (const attempt of attempts) {
      const before = deps.hasher.verifications;
      const error = await logIn(attempt, deps).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCredentials);
      expect((error as Error).message).toBe('Invalid email or password');
      expect(deps.hasher.verifications).toBe(before + 1);
    }
  });
});

describe('ChangeEmailAddress', () => {
  test('changes the email', async () => {
    const user = await register();

    await changeEmailAddress({ userId: user.id as UserId, email: 'New@Example.com' }, deps);

    expect(deps.store.get(user.id as UserId)?.email).toBe('new@example.com');
  });

  test('refuses an email another user has', async () => {
    await register('bob@example.com');
    const alice = await register('alice@example.com');

    await expect(
      changeEmailAddress({ userId: alice.id as UserId, email: 'bob@example.com' }, deps),
    ).rejects.toThrow(EmailAddressAlreadyTaken);
  });

  test('to the same email is fine and changes nothing', async () => {
    const user = await register();
    const before = deps.store.get(user.id as UserId);

    await changeEmailAddress({ userId: user.id as UserId, email: 'alice@example.com' }, deps);

    expect(deps.store.get(user.id as UserId)).toEqual(before);
  });
});

describe('the Authenticator', () => {
  test('a valid token of an existing user identifies them', async () => {
    const user = await register();
    const { accessToken } = await deps.tokens.issue(user.id as UserId);

    expect(await createAuthenticator(deps).authenticate(accessToken)).toBe(user.id);
  });

  test('a valid token of a user who does not exist is refused', async () => {
    const { accessToken } = await deps.tokens.issue(
      '00000000-0000-7000-8000-00000000dead' as UserId,
    );

    await expect(createAuthenticator(deps).authenticate(accessToken)).rejects.toThrow(
      NotAuthenticated,
    );
  });
});

describe('GetCurrentUser', () => {
  test('combines the user with the projects the projects context reports', async () => {
    const user = await register();
    const projects = { listProjectsOf: async () => toJson([{ id: 1, name: 'My first project' }]) };

    const current = await getCurrentUser(user.id as UserId, { users: deps.users, projects });
    expect(fromJson(current)).toEqual({
      id: user.id,
      email: 'alice@example.com',
      projects: [{ id: 1, name: 'My first project' }],
    });
  });
});

describe('the Authenticator recognises a caller without waiting', () => {
  test('only once authenticate has accepted the token, and only while the user is remembered', async () => {
    const user = await register();
    const { accessToken } = await deps.tokens.issue(user.id as UserId);
    const authenticator = createAuthenticator(deps);

    expect(authenticator.recognise(accessToken)).toBeUndefined();
    await authenticator.authenticate(accessToken);
    expect(authenticator.recognise(accessToken)).toBe(user.id);

    deps.clock.advanceBy(KNOWN_USER_TTL_MS + 1);
    expect(authenticator.recognise(accessToken)).toBeUndefined();
  });

  test('never recognises the token of a user who does not exist', async () => {
    const { accessToken } = await deps.tokens.issue(
      '00000000-0000-7000-8000-00000000dead' as UserId,
    );
    const authenticator = createAuthenticator(deps);

    await expect(authenticator.authenticate(accessToken)).rejects.toThrow(NotAuthenticated);
    expect(authenticator.recognise(accessToken)).toBeUndefined();
  });
});

describe('the Authenticator remembers users for a few seconds', () => {
  test('asks the database once per user within the TTL, again after it', async () => {
    const user = await register();
    const { accessToken } = await deps.tokens.issue(user.id as UserId);
    let lookups = 0;
    const users = {
      ...deps.users,
      findUser: (id: UserId) => {
        lookups++;
        return deps.users.findUser(id);
      },
      findCredentials: deps.users.findCredentials.bind(deps.users),
    };
    const authenticator = createAuthenticator({ ...deps, users });

    await authenticator.authenticate(accessToken);
    await authenticator.authenticate(accessToken);
    deps.clock.advanceBy(KNOWN_USER_TTL_MS + 1);
    await authenticator.authenticate(accessToken);

    expect(lookups).toBe(2);
  });
});
