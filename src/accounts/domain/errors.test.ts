import { expect, test } from 'vitest';
import { TooManyLoginAttempts } from './errors.ts';

test('a throttled attempt says how long to wait in words a person reads', () => {
  expect(new TooManyLoginAttempts(1).message).toBe(
    'Too many wrong passwords for this account. Try again in 1 second.',
  );
  expect(new TooManyLoginAttempts(32).message).toMatch(/Try again in 32 seconds\.$/);
});
