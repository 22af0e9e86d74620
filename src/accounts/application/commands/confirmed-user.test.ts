import { beforeEach, describe, expect, test } from 'vitest';
import { NotAuthenticated } from '../../../building-blocks/application/not-authenticated.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { IncorrectPassword, TooManyLoginAttempts } from '../../domain/errors.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { confirmPassword } from './confirmed-user.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

describe('confirming the current password before a sensitive change', () => {
  test('answers the version of the user it checked', async () => {
    const user = await register(deps);

    expect(await confirmPassword(user.id as UserId, 'correct horse', deps)).toBe(1);
  });

  test('takes the password in any Unicode form of it (NFKC), as registration stored it', async () => {
    const user = await register(deps, 'alice@example.com', 'café au lait');

    expect(await confirmPassword(user.id as UserId, 'cafe\u0301 au lait', deps)).toBe(1);
  });

  test('refuses a wrong password', async () => {
    const user = await register(deps);

    await expect(confirmPassword(user.id as UserId, 'wrong horse', deps)).rejects.toThrow(
      IncorrectPassword,
    );
  });

  test('counts as a login attempt: wrong guesses lock the account, a right one clears the count', async () => {
    const user = await register(deps);
    const confirm = (password: string) => confirmPassword(user.id as UserId, password, deps);

    // Three free attempts, then each admitted one locks the account (1 s, then 2 s, ...).
    for (let guess = 0; guess < 4; guess++) {
      await expect(confirm(`wrong guess ${guess}`)).rejects.toThrow(IncorrectPassword);
    }
    const locked = confirm('correct horse');
    await expect(locked).rejects.toThrow(TooManyLoginAttempts);
    await expect(locked).rejects.toMatchObject({ retryAfterSeconds: 1 });

    deps.clock.advanceBy(1000);
    expect(await confirm('correct horse')).toBe(1);
    // Cleared: the next three wrong guesses are free again.
    for (let guess = 0; guess < 3; guess++) {
      await expect(confirm(`wrong guess ${guess}`)).rejects.toThrow(IncorrectPassword);
    }
  });

  test('shares its count with the logins of the account', async () => {
    const user = await register(deps, 'alice@example.com');
    for (let attempt = 0; attempt < 4; attempt++) await deps.throttle.admit(' Alice@Example.com');

    await expect(confirmPassword(user.id as UserId, 'correct horse', deps)).rejects.toThrow(
      TooManyLoginAttempts,
    );
  });

  test('for an account deleted since the request was authenticated: 401, as an ended session', async () => {
    await expect(
      confirmPassword('0190b3a4-7c2e-7d1a-9f3e-2b4c6d8e0f12' as UserId, 'correct horse', deps),
    ).rejects.toThrow(NotAuthenticated);
  });
});
