import { beforeEach, describe, expect, test } from 'vitest';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { IncorrectPassword } from '../../domain/errors.ts';
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
});
