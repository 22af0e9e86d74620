import { readFileSync } from 'node:fs';
import type { CommonPasswords } from '../domain/password.ts';

const LIST = new URL('./common-passwords.txt', import.meta.url);

/**
 * The 10,000 most common passwords shipped with the service (common-passwords.txt, made by
 * scripts/generate-common-passwords.ts), read once into a set: a look-up costs one hash.
 */
export function commonPasswordList(): CommonPasswords {
  const passwords = new Set(
    readFileSync(LIST, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return passwords;
}
