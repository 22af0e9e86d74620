import { describe, expect, test } from 'vitest';
import { uuidV7 } from '../../building-blocks/infrastructure/uuid-v7.ts';
import type { Password, PasswordHash } from '../domain/password.ts';
import { Argon2PasswordHasher } from './argon2-password-hasher.ts';

const fast = new Argon2PasswordHasher({ memory: 1024, passes: 2, parallelism: 1 });
const password = 'correct horse' as Password;

describe('Argon2PasswordHasher', () => {
  test('uses Argon2id with OWASP parameters by default, in a PHC string', async () => {
    const hash = await new Argon2PasswordHasher().hash(password);

    expect(hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
  });

  test('verifies the right password and refuses a wrong one', async () => {
    const hash = await fast.hash(password);

    expect(await fast.verify('correct horse', hash)).toBe(true);
    expect(await fast.verify('correct horsE', hash)).toBe(false);
  });

  test('salts every hash', async () => {
    expect(await fast.hash(password)).not.toBe(await fast.hash(password));
  });

  test('without a hash (unknown user) it answers false', async () => {
    expect(await fast.verify('correct horse', undefined)).toBe(false);
  });

  test('a damaged hash is a "no", never an exception', async () => {
    const hash = await fast.hash(password);

    for (const broken of ['', 'plain', hash.slice(0, -5), hash.replace('argon2id', 'argon2i')]) {
      expect(await fast.verify('correct horse', broken as PasswordHash)).toBe(false);
    }
  });
});

describe('uuidV7', () => {
  test('has version 7 and the RFC variant, and sorts by time', () => {
    const first = uuidV7(1_700_000_000_000);
    const second = uuidV7(1_700_000_000_001);

    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first < second).toBe(true);
  });
});
