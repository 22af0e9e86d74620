import { describe, expect, test } from 'vitest';
import {
  ensurePasswordIsNotCommon,
  type Password,
  PasswordRulesNotMet,
  PasswordTooCommon,
  parsePassword,
} from './password.ts';

describe('a password', () => {
  test('has 8 to 128 characters, counted as a person counts them, and may hold spaces', () => {
    expect(parsePassword('correct horse')).toBe('correct horse');
    expect(parsePassword('🔑🔑🔑🔑🔑🔑🔑🔑')).toBe('🔑🔑🔑🔑🔑🔑🔑🔑');
    expect(() => parsePassword('seven77')).toThrow(/it has 7 characters/);
    expect(() => parsePassword('x'.repeat(129))).toThrow(/it has 129 characters/);
  });

  test('is NFKC-normalised: the same password from any keyboard', () => {
    // Full-width letters and a decomposed accent.
    expect(parsePassword('ｃｏｒｒｅｃｔ horse')).toBe('correct horse');
    expect(parsePassword('cafe\u0301 au lait')).toBe('caf\u00e9 au lait');
  });

  test('refuses control characters and white space alone, and says why', () => {
    expect(() => parsePassword('\u0000'.repeat(8))).toThrow(/control character/);
    expect(() => parsePassword('pass\tword here')).toThrow(PasswordRulesNotMet);
    expect(() => parsePassword(' '.repeat(8))).toThrow(/only white space/);
    expect(() => parsePassword('\u3000'.repeat(8))).toThrow(/only white space/);
    expect(() => parsePassword('Zebra-horse-\ud800')).toThrow(/lone surrogate/);
  });

  test('is refused when it is on the list of common passwords, whatever its case', () => {
    const common = new Set(['password', 'baseball']);
    expect(() => ensurePasswordIsNotCommon('PassWord' as Password, common)).toThrow(
      PasswordTooCommon,
    );
    expect(() => ensurePasswordIsNotCommon('correct horse' as Password, common)).not.toThrow();
  });
});
