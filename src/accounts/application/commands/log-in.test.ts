import { beforeEach, describe, expect, test } from 'vitest';
import { InvalidCredentials } from '../../domain/errors.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { logIn } from './log-in.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

describe('LogIn', () => {
  test('gives a token for the right password', async () => {
    const user = await register(deps);

    const token = await logIn({ email: 'ALICE@example.com', password: 'correct horse' }, deps);

    expect(await deps.tokens.verify(token.accessToken)).toBe(user.id);
  });

  test('takes the password in any Unicode form of it (NFKC), as registration stored it', async () => {
    const user = await register(deps, 'alice@example.com', 'café au lait');

    const token = await logIn({ email: 'alice@example.com', password: 'cafe\u0301 au lait' }, deps);

    expect(await deps.tokens.verify(token.accessToken)).toBe(user.id);
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
      const error = await logIn(attempt, deps).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCredentials);
      expect((error as Error).message).toBe('Invalid email or password');
      expect(deps.hasher.verifications).toBe(before + 1);
    }
  });
});
