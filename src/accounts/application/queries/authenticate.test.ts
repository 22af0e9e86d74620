import { beforeEach, describe, expect, test } from 'vitest';
import { NotAuthenticated } from '../../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { createAuthenticator, KNOWN_USER_TTL_MS } from './authenticate.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

describe('the Authenticator', () => {
  test('a valid token of an existing user identifies them', async () => {
    const user = await register(deps);
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

describe('the Authenticator recognises a caller without waiting', () => {
  test('only once authenticate has accepted the token, and only while the user is remembered', async () => {
    const user = await register(deps);
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
    const user = await register(deps);
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
