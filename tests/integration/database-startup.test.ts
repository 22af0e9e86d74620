import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import {
  DatabaseStartupError,
  waitForDatabase,
} from '../../src/building-blocks/infrastructure/database/wait-for-database.ts';
import { TEST_DIALECT } from '../support/test-database.ts';

// Start-up waits for a database that is not up yet, but not for one that answered with an
// error waiting cannot change.
describe.runIf(TEST_DIALECT === 'postgres')('waiting for PostgreSQL at start-up', () => {
  // Built when a test runs: without TEST_DATABASE_URL (SQLite only) these tests are skipped.
  const urlWith = (change: (url: URL) => void) => () => {
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    change(url);
    return url.toString();
  };

  test.each([
    [
      'a database that does not exist',
      urlWith((u) => (u.pathname = '/no_such_database')),
      /database "no_such_database" does not exist: create it/,
    ],
    [
      'a role the server refuses',
      urlWith((u) => (u.username = 'no_such_role')),
      /role "no_such_role" does not exist: check the user name and password/,
    ],
    ['a malformed URL', () => 'postgres://user:pw@:::/x', /DATABASE_URL is not a valid URL/],
  ])('gives up within a second on %s, saying what to do', async (_, urlOf, message) => {
    const url = urlOf();
    const database = openDatabase(url, { poolSize: 1 });
    const started = Date.now();
    try {
      const failure = await waitForDatabase(database, url, 30_000).catch((error) => error);
      expect(failure).toBeInstanceOf(DatabaseStartupError);
      expect(failure.message).toMatch(message);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await database.close();
    }
  });

  test('keeps trying a server that refuses connections, until the deadline', async () => {
    const url = urlWith((u) => (u.port = '1'))();
    const database = openDatabase(url, { poolSize: 1 });
    const started = Date.now();
    try {
      await expect(waitForDatabase(database, url, 700)).rejects.toThrow(/did not answer within/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await database.close();
    }
  });
});
