import { describe, expect, test } from 'vitest';
import type { PasswordHasher } from '../../src/accounts/application/ports.ts';
import type { Password } from '../../src/accounts/domain/password.ts';

/**
 * What every PasswordHasher must do, run against the fake the handler tests use and the
 * real Argon2id hasher, so a handler test on the fake means what it says.
 */
export function passwordHasherContract(name: string, makeHasher: () => PasswordHasher) {
  describe(`PasswordHasher contract: ${name}`, () => {
    const password = 'correct horse battery' as Password;

    test('a password matches its own hash, and only its own', async () => {
      const hasher = makeHasher();
      const hash = await hasher.hash(password);

      expect(await hasher.verify('correct horse battery', hash)).toBe(true);
      expect(await hasher.verify('correct horse battery!', hash)).toBe(false);
      expect(await hasher.verify('', hash)).toBe(false);
    });

    test('the hash does not hold the password as it is', async () => {
      const hash = await makeHasher().hash(password);

      expect(hash).not.toBe(password);
    });

    test('half of a UTF-16 pair matches nothing, not even the replacement character', async () => {
      // A lone surrogate is part of no password (parsePassword refuses it), but UTF-8 would
      // encode it as U+FFFD: any lone surrogate would open an account whose password has one.
      const hasher = makeHasher();
      const hash = await hasher.hash('Zebra horse \ufffd' as Password);

      expect(await hasher.verify('Zebra horse \ufffd', hash)).toBe(true);
      expect(await hasher.verify('Zebra horse \ud800', hash)).toBe(false);
    });

    test('with no hash (an unknown email), nothing matches', async () => {
      expect(await makeHasher().verify('correct horse battery', undefined)).toBe(false);
    });
  });
}
