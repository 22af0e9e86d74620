import { lookup } from 'node:dns/promises';
import { expect, test } from 'vitest';
import { StartupError } from './building-blocks/infrastructure/startup-error.ts';
import { listening, startupFailure } from './startup-failure.ts';

/** The error a failed host name lookup rejects with, as Node.js makes it. */
const lookupFailure = (code: string, hostname: string) =>
  Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
    code,
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });

const failing = (error: unknown) => () => Promise.reject(error);

test('listening on a HOST with no address, or one the name server did not answer for, fails in one line naming HOST', async () => {
  await expect(
    listening('nowhere.invalid', failing(lookupFailure('ENOTFOUND', 'nowhere.invalid'))),
  ).rejects.toThrow(
    'Cannot listen on nowhere.invalid: no address is known for that host name (HOST): set HOST to an address of this machine, or 0.0.0.0 for all.',
  );
  const silent = await listening('nowhere.example', failing(lookupFailure('EAI_AGAIN', 'x'))).catch(
    (error: unknown) => error,
  );

  expect(silent).toBeInstanceOf(StartupError);
  expect(startupFailure(silent)).toBe(
    'Cannot listen on nowhere.example: the name server did not answer for that host name (HOST): set HOST to an address of this machine, or 0.0.0.0 for all.',
  );
});

test('a failed lookup anywhere else (the database’s host, the broker’s) is not blamed on HOST', () => {
  const elsewhere = lookupFailure('EAI_AGAIN', 'db.internal');

  expect(startupFailure(elsewhere)).toBe(elsewhere);
});

test('listening passes on any other failure as it is', async () => {
  const taken = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 8000 });

  await expect(listening('127.0.0.1', failing(taken))).rejects.toBe(taken);
});

// A real lookup: on a machine whose name server does not answer it takes as long as the
// resolver's retries.
test('the lookup failure it reads is the one Node.js really gives', {
  timeout: 30_000,
}, async () => {
  const error = await lookup('nonexistent.invalid').catch((e: unknown) => e);
  const refusal = await listening('nonexistent.invalid', failing(error)).catch((e: unknown) => e);

  expect(startupFailure(refusal)).toMatch(/^Cannot listen on nonexistent\.invalid: .*\(HOST\)/);
});

test('an error of this code is kept whole, with its stack, for the report', () => {
  const fault = new TypeError('undefined is not a function');

  expect(startupFailure(fault)).toBe(fault);
});
