import { beforeEach, describe, expect, test } from 'vitest';
import { InvalidEmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { EmailAddressAlreadyTaken } from '../../domain/errors.ts';
import { PasswordRulesNotMet, PasswordTooCommon } from '../../domain/password.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

describe('RegisterUser', () => {
  test('stores the user with a normalised email and a hashed password', async () => {
    const user = await register(deps, '  Alice@Example.com ');

    expect(user.email).toBe('alice@example.com');
    const stored = deps.store.get(user.id as UserId);
    expect(stored).toMatchObject({
      email: 'alice@example.com',
      passwordHash: 'hashed:correct horse',
    });
  });

  test('publishes UserAccountCreated after the commit', async () => {
    const user = await register(deps);

    expect(
      deps.uow.published.map((e) => [e.type, (e.payload as { userId: string }).userId]),
    ).toEqual([['accounts.UserAccountCreated', user.id]]);
  });

  test('refuses an email that is taken, whatever its case, and writes nothing more', async () => {
    await register(deps, 'alice@example.com');

    await expect(register(deps, 'ALICE@example.com')).rejects.toThrow(EmailAddressAlreadyTaken);
    expect(deps.store.values()).toHaveLength(1);
    expect(deps.uow.published).toHaveLength(1);
  });

  test('refuses a bad email or password before writing anything', async () => {
    await expect(register(deps, 'not-an-email')).rejects.toThrow(InvalidEmailAddress);
    await expect(register(deps, 'bob@example.com', 'short')).rejects.toThrow(PasswordRulesNotMet);
    expect(deps.store.values()).toEqual([]);
  });

  test('refuses a common password, in any case, before hashing or writing', async () => {
    await expect(register(deps, 'bob@example.com', 'PASSWORD1')).rejects.toThrow(PasswordTooCommon);
    expect(deps.store.values()).toEqual([]);
  });

  test('hashes the NFKC form of the password, the form log-in checks', async () => {
    const user = await register(deps, 'bob@example.com', 'ｃｏｒｒｅｃｔ horse');

    expect(deps.store.get(user.id as UserId)).toMatchObject({
      passwordHash: 'hashed:correct horse',
    });
  });
});
