import { lookup } from 'node:dns/promises';
import { expect, test } from 'vitest';
import { startupFailure } from './startup-failure.ts';

/** The error `listen` rejects with when looking its host name up fails, as Node.js makes it. */
const lookupFailure = (code: string, hostname: string) =>
  Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
    code,
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });

test('a HOST with no address, or one the name server did not answer for, is one line naming HOST', () => {
  expect(startupFailure(lookupFailure('ENOTFOUND', 'nowhere.invalid'))).toBe(
    'Cannot listen on nowhere.invalid: no address is known for that host name (HOST): set HOST to an address of this machine, or 0.0.0.0 for all.',
  );
  expect(startupFailure(lookupFailure('EAI_AGAIN', 'nowhere.example'))).toBe(
    'Cannot listen on nowhere.example: the name server did not answer for that host name (HOST): set HOST to an address of this machine, or 0.0.0.0 for all.',
  );
});

test('the lookup failure it reads is the one Node.js really gives', async () => {
  const error = await lookup('nonexistent.invalid').catch((e: unknown) => e);

  expect(error).toMatchObject({ syscall: 'getaddrinfo', hostname: 'nonexistent.invalid' });
  expect(startupFailure(error)).toMatch(/^Cannot listen on nonexistent\.invalid: .*\(HOST\)/);
});

test('an error of this code is kept whole, with its stack, for the report', () => {
  const fault = new TypeError('undefined is not a function');

  expect(startupFailure(fault)).toBe(fault);
});
