import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, test } from 'vitest';
import { redact } from '../redact-url.ts';
import type { Database } from './database.ts';
import { DatabaseStartupError, waitForDatabase } from './wait-for-database.ts';

const pgError = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

/** A database whose ping fails with each of `errors` in turn, then answers. */
function databaseFailing(...errors: Error[]): Database & { pings: number } {
  const database = {
    pings: 0,
    ping: async () => {
      const error = errors[database.pings++];
      if (error) throw error;
    },
  };
  return database as unknown as Database & { pings: number };
}

const URL = 'postgres://app:s3cret@db.example:5432/app';

/** The error node:sqlite throws for `work`. */
function sqliteError(work: () => void): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('SQLite did not fail');
}

describe('waiting for the database at start-up', () => {
  test('tries again while the server is not up yet, and goes on once it answers', async () => {
    const database = databaseFailing(pgError('ECONNREFUSED'), pgError('57P03'));

    await waitForDatabase(database, URL, 5_000);

    expect(database.pings).toBe(3);
  });

  test.each([
    ['3D000', 'database "app" does not exist', /does not exist: create it/],
    ['28P01', 'password authentication failed for user "app"', /check the user name and password/],
    ['28000', 'role "app" does not exist', /check the user name and password/],
    ['ERR_INVALID_URL', 'Invalid URL', /DATABASE_URL is not a valid URL/],
  ])('gives up at once on %s, in one line that says what to do', async (code, message, advice) => {
    const database = databaseFailing(pgError(code, message));

    const failure = await waitForDatabase(database, URL, 30_000).catch((error) => error);

    expect(failure).toBeInstanceOf(DatabaseStartupError);
    expect(failure.message).toMatch(advice);
    expect(failure.message).not.toContain('\n');
    expect(failure.message).not.toContain('s3cret');
    expect(database.pings).toBe(1);
  });

  // SQLite's own errors, as node:sqlite throws them: a path that names a folder
  // (SQLITE_CANTOPEN), a write to a database opened read-only (SQLITE_READONLY, which a
  // read-only file, folder or mount gives too).
  test.each([
    ['SQLITE_CANTOPEN', () => sqliteError(() => new DatabaseSync(tmpdir()).exec('select 1'))],
    [
      'SQLITE_READONLY',
      () =>
        sqliteError(() =>
          new DatabaseSync(':memory:', { readOnly: true }).exec('create table t (a)'),
        ),
    ],
  ])('gives up at once on %s from SQLite, in one line that says what to do', async (_, errorOf) => {
    const database = databaseFailing(errorOf());

    const failure = await waitForDatabase(database, 'sqlite:data/app.db', 30_000).catch(
      (error) => error,
    );

    expect(failure).toBeInstanceOf(DatabaseStartupError);
    expect(failure.message).toMatch(
      /^The database at sqlite:data\/app.db: .*: DATABASE_URL must name a file this user can write/,
    );
    expect(database.pings).toBe(1);
  });

  test('after the deadline, says where it looked and that it did not answer', async () => {
    const database = databaseFailing(...Array(100).fill(pgError('ECONNREFUSED')));

    const failure = await waitForDatabase(database, URL, 250).catch((error) => error);

    expect(failure.message).toMatch(
      /^The database at postgres:\/\/app:\*\*\*@db.example:5432\/app did not answer/,
    );
  });

  test('does not show a password given as a query parameter', async () => {
    const database = databaseFailing(pgError('28P01', 'password authentication failed'));

    const failure = await waitForDatabase(
      database,
      'postgres://app@db.example/app?password=s3cret',
      30_000,
    ).catch((error) => error);

    expect(failure.message).toContain('postgres://app@db.example/app?password=***');
    expect(failure.message).not.toContain('s3cret');
  });
});

describe('a database URL fit for a log line', () => {
  test.each([
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgres://app:p@ss@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgres://app@db/app', 'postgres://app@db/app'],
    ['sqlite:data/app.db', 'sqlite:data/app.db'],
    ['postgres://app:p@ss@:::/x', 'postgres://***@:::/x'],
    ['postgres://app@db/app?password=s3cret', 'postgres://app@db/app?password=***'],
    [
      'postgres://app@db/app?sslmode=require&sslpassword=k3y&PASSWORD=s3cret#x',
      'postgres://app@db/app?sslmode=require&sslpassword=***&PASSWORD=***#x',
    ],
    ['postgres://app@:::/x?password=s3cret&a=1', 'postgres://***@:::/x?password=***&a=1'],
    ['postgres://app@db/app?application_name=api', 'postgres://app@db/app?application_name=api'],
  ])('%s', (url, shown) => {
    expect(redact(url)).toBe(shown);
  });
});
