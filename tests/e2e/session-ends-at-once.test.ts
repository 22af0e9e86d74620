import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { expectProblem, TestApi } from '../support/api.ts';
import { TEST_DIALECT } from '../support/test-database.ts';

// On PostgreSQL a process keeps the status of the sessions it has seen (ADR 19). Here it
// hears no notification at all, as if every one arrived late: a session this process ends
// must still be refused by the very next request, on the strength of its own change alone.
// (On a SQLite file statuses are kept too, and this process's own COMMIT moves the file's
// data version, which forgets them all (ADR 22): the same requests must give the same answers.)

/** The database with its notifications dropped; told it listens all the same. */
function hearingNothing(database: Database): Database {
  const { listen } = database;
  if (!listen) return database;
  return {
    ...database,
    listen: (channel, listener) => listen(channel, { ...listener, notified: () => {} }),
  };
}

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start({}, (url) => ({ database: hearingNothing(openDatabase(url)) }));
});
afterAll(() => api.close());

const me = (token: string) => api.request('GET', '/api/users/me', { token });

async function twoSessions() {
  const user = await api.signUp();
  const other = await api.request('POST', '/api/users/login', {
    json: { email: user.email, password: user.password },
  });
  // A successful request with each: their statuses are now kept.
  expect((await me(user.token)).status).toBe(200);
  expect((await me(other.body.access_token)).status).toBe(200);
  return { user, other: other.body as { access_token: string; refresh_token: string } };
}

describe('a session ended by this process is refused by the next request', () => {
  test('a logout', async () => {
    const { user, other } = await twoSessions();

    expect((await api.request('POST', '/api/users/logout', { token: user.token })).status).toBe(
      204,
    );

    expectProblem(await me(user.token), 401);
    expect((await me(other.access_token)).status).toBe(200);
  });

  test('another session ended from the list', async () => {
    const { user, other } = await twoSessions();
    const list = await api.request('GET', '/api/users/me/sessions', { token: user.token });
    const { id } = list.body.sessions.find((session: { current: boolean }) => !session.current);

    const ended = await api.request('DELETE', `/api/users/me/sessions/${id}`, {
      token: user.token,
    });

    expect(ended.status).toBe(204);
    expectProblem(await me(other.access_token), 401);
    expect((await me(user.token)).status).toBe(200);
  });

  test('a password change ends every other session', async () => {
    const { user, other } = await twoSessions();

    const changed = await api.request('PUT', '/api/users/me/password', {
      token: user.token,
      json: { currentPassword: user.password, newPassword: 'a brand new password' },
    });

    expect(changed.status).toBe(204);
    expectProblem(await me(other.access_token), 401);
    expect((await me(user.token)).status).toBe(200);
  });

  test('an account deletion ends all of them', async () => {
    const { user, other } = await twoSessions();

    const deleted = await api.request('DELETE', '/api/users/me', {
      token: user.token,
      json: { password: user.password },
    });

    expect(deleted.status).toBe(204);
    expectProblem(await me(user.token), 401);
    expectProblem(await api.request('GET', '/api/projects', { token: other.access_token }), 401);
  });

  test('a refresh token used twice ends its session', async () => {
    const { user } = await twoSessions();
    const rotated = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'refresh_token', refresh_token: user.refreshToken },
    });
    expect((await me(rotated.body.access_token)).status).toBe(200);

    const replayed = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'refresh_token', refresh_token: user.refreshToken },
    });

    expectProblem(replayed, 401);
    expectProblem(await me(rotated.body.access_token), 401);
  });
});

/** Revokes every session straight in the database of `instance`. */
async function revokeEverySession(instance: TestApi): Promise<void> {
  const admin = new pg.Client({ connectionString: instance.databaseUrl });
  await admin.connect();
  try {
    await admin.query('update accounts.sessions set revoked_at = now()');
  } finally {
    await admin.end();
  }
}

describe.runIf(TEST_DIALECT === 'postgres')('what makes the tests above mean something', () => {
  test('a kept status is used: a change this process does not hear of is not seen', async () => {
    const { user } = await twoSessions();

    await revokeEverySession(api);

    // No round trip for the session: the request is answered from what was kept.
    expect((await me(user.token)).status).toBe(200);
  });

  test('SESSION_CACHE_SECONDS=0 keeps nothing: each request reads its session', async () => {
    const uncached = await TestApi.start(
      { sessionCache: { maxAgeSeconds: 0, maxEntries: 10_000 } },
      (url) => ({ database: hearingNothing(openDatabase(url)) }),
    );
    try {
      const user = await uncached.signUp();
      expect((await uncached.request('GET', '/api/users/me', { token: user.token })).status).toBe(
        200,
      );

      await revokeEverySession(uncached);

      expectProblem(await uncached.request('GET', '/api/users/me', { token: user.token }), 401);
    } finally {
      await uncached.close();
    }
  });
});

/**
 * Revokes every session straight in the SQLite file of `instance`, as another process would,
 * waiting its turn at the write lock like one (the welcome email of a new account may still be
 * being recorded: it is sent after the registration was answered). The wait is not SQLite's
 * busy timeout: that would hold this thread, which is also the service's, and the service
 * could not commit what it holds the lock for. Each try that finds the file locked gives the
 * event loop a turn first.
 */
async function revokeEverySessionInFile(instance: TestApi): Promise<void> {
  const file = new DatabaseSync(instance.databaseUrl.slice('sqlite:'.length), { timeout: 0 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        file.exec(
          "update accounts_sessions set revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        );
        return;
      } catch (error) {
        if (!/database is locked/.test(String(error)) || attempt === 250) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  } finally {
    file.close();
  }
}

/** The database with its data version stuck: a commit to the file is never noticed. */
function blindToTheFile(database: Database): Database {
  return { ...database, dataVersion: () => 0 };
}

describe.runIf(TEST_DIALECT === 'sqlite')('on a SQLite file (ADR 22)', () => {
  test("another process's change is seen by the next request: the file's data version moved", async () => {
    const { user } = await twoSessions();

    await revokeEverySessionInFile(api);

    expectProblem(await me(user.token), 401);
  });

  test('a kept status is used: a change this process does not notice is not seen', async () => {
    const blind = await TestApi.start({}, (url) => ({
      database: blindToTheFile(openDatabase(url)),
    }));
    try {
      const user = await blind.signUp();
      expect((await blind.request('GET', '/api/users/me', { token: user.token })).status).toBe(200);

      await revokeEverySessionInFile(blind);

      expect((await blind.request('GET', '/api/users/me', { token: user.token })).status).toBe(200);
    } finally {
      await blind.close();
    }
  });
});
