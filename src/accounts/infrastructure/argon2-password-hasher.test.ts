import { expect, test, vi } from 'vitest';
import { passwordHasherContract } from '../../../tests/contracts/password-hasher.contract.ts';
import { Argon2PasswordHasher } from './argon2-password-hasher.ts';

// Cheap parameters: the contract is about behaviour, crypto.test.ts checks the real ones.
passwordHasherContract(
  'Argon2id',
  () => new Argon2PasswordHasher({ memory: 1024, passes: 2, parallelism: 1 }),
);

test('checks an unknown user’s password against a ready-made hash: the first check hashes nothing more', async () => {
  const hasher = new Argon2PasswordHasher({ memory: 1024, passes: 2, parallelism: 1 });
  const hash = vi.spyOn(hasher, 'hash');

  expect(await hasher.verify('any password', undefined)).toBe(false);
  expect(await hasher.verify('any password', undefined)).toBe(false);

  expect(hash).not.toHaveBeenCalled();
});
