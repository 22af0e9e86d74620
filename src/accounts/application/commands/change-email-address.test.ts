import { beforeEach, describe, expect, test } from 'vitest';
import { NotAuthenticated } from '../../../building-blocks/application/not-authenticated.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { EmailAddressAlreadyTaken } from '../../domain/errors.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { changeEmailAddress } from './change-email-address.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

describe('ChangeEmailAddress', () => {
  test('changes the email', async () => {
    const user = await register(deps);

    await changeEmailAddress({ userId: user.id as UserId, email: 'New@Example.com' }, deps);

    expect(deps.store.get(user.id as UserId)?.email).toBe('new@example.com');
  });

  test('takes the account’s login count to the new address: a new address is no fresh start', async () => {
    const user = await register(deps, 'alice@example.com');
    for (let attempt = 0; attempt < 4; attempt++) await deps.throttle.admit('alice@example.com');

    await changeEmailAddress({ userId: user.id as UserId, email: 'alice2@example.com' }, deps);

    expect(await deps.throttle.admit('alice2@example.com')).toMatchObject({ admitted: false });
  });

  test('refuses an email another user has, and leaves that user’s login count alone', async () => {
    await register(deps, 'bob@example.com');
    const alice = await register(deps, 'alice@example.com');
    for (let attempt = 0; attempt < 4; attempt++) await deps.throttle.admit('alice@example.com');

    await expect(
      changeEmailAddress({ userId: alice.id as UserId, email: 'bob@example.com' }, deps),
    ).rejects.toThrow(EmailAddressAlreadyTaken);
    expect(await deps.loginAttempts.read('bob@example.com')).toBeUndefined();
  });

  test('refuses an email another user has', async () => {
    await register(deps, 'bob@example.com');
    const alice = await register(deps, 'alice@example.com');

    await expect(
      changeEmailAddress({ userId: alice.id as UserId, email: 'bob@example.com' }, deps),
    ).rejects.toThrow(EmailAddressAlreadyTaken);
  });

  test('to the same email is fine and changes nothing', async () => {
    const user = await register(deps);
    const before = deps.store.get(user.id as UserId);

    await changeEmailAddress({ userId: user.id as UserId, email: 'alice@example.com' }, deps);

    expect(deps.store.get(user.id as UserId)).toEqual(before);
  });

  test('for an account deleted since the request was authenticated: 401, as an ended session', async () => {
    await expect(
      changeEmailAddress(
        { userId: '0190b3a4-7c2e-7d1a-9f3e-2b4c6d8e0f12' as UserId, email: 'new@example.com' },
        deps,
      ),
    ).rejects.toThrow(NotAuthenticated);
  });
});
