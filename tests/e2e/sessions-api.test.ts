import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { expectProblem, TestApi } from '../support/api.ts';
import { testConfig } from '../support/test-config.ts';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(() => api.close());

const refresh = (refreshToken: string) =>
  api.request('POST', '/api/users/login', {
    form: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });

const me = (token: string) => api.request('GET', '/api/users/me', { token });

const logIn = (email: string, password: string, headers: Record<string, string> = {}) =>
  api.request('POST', '/api/users/login', { json: { email, password }, headers });

describe('refresh tokens', () => {
  test('a refresh gives a new pair; the old refresh token is used up', async () => {
    const user = await api.signUp();

    const refreshed = await refresh(user.refreshToken);

    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    expect(refreshed.body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
    });
    expect(refreshed.body.refresh_token).not.toBe(user.refreshToken);
    expect((await me(refreshed.body.access_token)).status).toBe(200);
    expect((await refresh(refreshed.body.refresh_token)).status).toBe(200);
  });

  test('presenting a used refresh token revokes the session: both tokens stop working', async () => {
    const user = await api.signUp();
    const rotated = await refresh(user.refreshToken);

    const replayed = await refresh(user.refreshToken);

    expectProblem(replayed, 401);
    expect(replayed.body.code).toBe('invalid-refresh-token');
    expectProblem(await me(rotated.body.access_token), 401);
    expectProblem(await refresh(rotated.body.refresh_token), 401);
  });

  test("the reuse is logged as a warning with the request's id, and without the token", async () => {
    const lines: Record<string, unknown>[] = [];
    // Every line at debug level, the requests' own included: none may hold the token.
    const logged = await TestApi.start(
      { logLevel: 'debug' },
      { logStream: { write: (line) => void lines.push(JSON.parse(line)) } },
    );
    try {
      const user = await logged.signUp();
      await logged.request('POST', '/api/users/login', {
        form: { grant_type: 'refresh_token', refresh_token: user.refreshToken },
      });

      const replayed = await logged.request('POST', '/api/users/login', {
        form: { grant_type: 'refresh_token', refresh_token: user.refreshToken },
        headers: { 'x-request-id': 'replayed-refresh-1' },
      });

      expectProblem(replayed, 401);
      const warnings = lines.filter((line) => line.securityEvent !== undefined);
      expect(warnings).toEqual([
        expect.objectContaining({
          level: 40,
          reqId: 'replayed-refresh-1',
          securityEvent: 'refresh-token-reused: session revoked',
          userId: expect.any(String),
          sessionId: expect.any(String),
        }),
      ]);
      expect(lines.filter((line) => line.msg === 'request completed')).not.toHaveLength(0);
      expect(JSON.stringify(lines)).not.toContain(user.refreshToken);
    } finally {
      await logged.close();
    }
  });

  test('an unknown or missing refresh token is a 401, a grant of another type a 422', async () => {
    expectProblem(await refresh('not-a-refresh-token'), 401);
    expectProblem(
      await api.request('POST', '/api/users/login', { form: { grant_type: 'refresh_token' } }),
      401,
    );
    const other = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'client_credentials' },
    });
    expectProblem(other, 422);
  });

  test('a browser can keep the refresh token in an HttpOnly cookie scoped to the token route', async () => {
    const { email, password } = await api.signUp();
    const cookieTransport = { 'x-refresh-token-transport': 'cookie' };

    const login = await logIn(email, password, cookieTransport);

    expect(login.status).toBe(200);
    expect(login.body.refresh_token).toBeUndefined();
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^refresh_token=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/api\/users\/login/);
    expect(setCookie).not.toMatch(/Secure/); // plain HTTP here
    const cookie = setCookie.split(';')[0] as string;

    // Without the header a cross-site form cannot send, the cookie is not read.
    const forged = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'refresh_token' },
      headers: { cookie },
    });
    expectProblem(forged, 401);

    // A bad token in the body is refused, and says nothing of the cookie: it is kept (and an
    // empty one is none: the cookie's is used).
    const badBody = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'refresh_token', refresh_token: 'garbage' },
      headers: { cookie, ...cookieTransport },
    });
    expectProblem(badBody, 401);
    expect(badBody.headers.get('set-cookie')).toBeNull();

    const refreshed = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'refresh_token', refresh_token: '' },
      headers: { cookie, ...cookieTransport },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('set-cookie')).not.toContain(cookie);
    expect((await me(refreshed.body.access_token)).status).toBe(200);

    // The used cookie, presented again, ends the session, and the browser is told to drop it.
    const reused = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'refresh_token' },
      headers: { cookie, ...cookieTransport },
    });
    expectProblem(reused, 401);
    expect(reused.headers.get('set-cookie')).toMatch(/^refresh_token=;.*Max-Age=0/);
  });
});

describe('POST /api/users/logout', () => {
  test('ends the session at once: its access and refresh tokens stop working', async () => {
    const user = await api.signUp();
    const other = await logIn(user.email, user.password);

    const response = await api.request('POST', '/api/users/logout', { token: user.token });

    expect(response.status).toBe(204);
    expectProblem(await me(user.token), 401);
    expectProblem(await refresh(user.refreshToken), 401);
    expect((await me(other.body.access_token)).status).toBe(200);
  });

  test('needs a token', async () => {
    expectProblem(await api.request('POST', '/api/users/logout'), 401);
  });

  test('logouts sent at once (a double click, two tabs): one ends the session, the others get 401', async () => {
    const user = await api.signUp();

    const answers = await Promise.all(
      [1, 2, 3].map(() => api.request('POST', '/api/users/logout', { token: user.token })),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([204, 401, 401]);
    for (const answer of answers.filter((a) => a.status === 401)) {
      expectProblem(answer, 401);
      expect(answer.body.code).toBe('not-authenticated');
    }
  });
});

describe('my sessions', () => {
  test('lists them with address and user agent as seen at login, and ends one', async () => {
    const user = await api.signUp();
    const phone = await logIn(user.email, user.password, { 'user-agent': 'Phone/1.0' });

    const list = await api.request('GET', '/api/users/me/sessions', { token: user.token });

    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    const mine = list.body.sessions.find((s: { current: boolean }) => s.current);
    const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
    expect(other).toEqual({
      id: expect.any(String),
      createdAt: expect.stringMatching(/Z$/),
      lastUsedAt: expect.stringMatching(/Z$/),
      clientAddress: '127.0.0.1',
      userAgent: 'Phone/1.0',
      current: false,
    });

    // A UUID may be written in either case: both databases take it the same way.
    const ended = await api.request('DELETE', `/api/users/me/sessions/${other.id.toUpperCase()}`, {
      token: user.token,
    });

    expect(ended.status).toBe(204);
    expectProblem(await me(phone.body.access_token), 401);
    expectProblem(await refresh(phone.body.refresh_token), 401);
    expect((await me(user.token)).status).toBe(200);
    const after = await api.request('GET', '/api/users/me/sessions', { token: user.token });
    expect(after.body.sessions.map((s: { id: string }) => s.id)).toEqual([mine.id]);
  });

  test("someone else's session is a 404, like a missing one; a malformed id a 422", async () => {
    const alice = await api.signUp();
    const bob = await api.signUp();
    const [bobs] = (await api.request('GET', '/api/users/me/sessions', { token: bob.token })).body
      .sessions;

    const foreign = await api.request('DELETE', `/api/users/me/sessions/${bobs.id}`, {
      token: alice.token,
    });

    expectProblem(foreign, 404);
    expect(foreign.body.code).toBe('session-not-found');
    const shouted = await api.request('DELETE', `/api/users/me/sessions/${bobs.id.toUpperCase()}`, {
      token: alice.token,
    });
    expectProblem(shouted, 404);
    expect((await me(bob.token)).status).toBe(200);
    const malformed = await api.request('DELETE', '/api/users/me/sessions/nope', {
      token: alice.token,
    });
    expectProblem(malformed, 422);
  });
});

describe('PUT /api/users/me/password', () => {
  test('needs the current password', async () => {
    const user = await api.signUp();

    const response = await api.request('PUT', '/api/users/me/password', {
      token: user.token,
      json: { currentPassword: 'not my password', newPassword: 'a brand new password' },
    });

    expectProblem(response, 403);
    expect(response.body.code).toBe('incorrect-password');
    expect((await logIn(user.email, user.password)).status).toBe(200);
  });

  test('changes the password and ends every other session at once', async () => {
    const user = await api.signUp();
    const other = await logIn(user.email, user.password);

    const response = await api.request('PUT', '/api/users/me/password', {
      token: user.token,
      json: { currentPassword: user.password, newPassword: 'a brand new password' },
    });

    expect(response.status).toBe(204);
    expectProblem(await me(other.body.access_token), 401);
    expectProblem(await refresh(other.body.refresh_token), 401);
    expect((await me(user.token)).status).toBe(200);
    expect((await refresh(user.refreshToken)).status).toBe(200);
    expectProblem(await logIn(user.email, user.password), 401);
    expect((await logIn(user.email, 'a brand new password')).status).toBe(200);
  });

  test('refuses a new password that breaks the rules, with a 422 naming it', async () => {
    const user = await api.signUp();

    const response = await api.request('PUT', '/api/users/me/password', {
      token: user.token,
      json: { currentPassword: user.password, newPassword: 'short' },
    });

    expectProblem(response, 422);
    expect(response.body.errors).toEqual([
      { path: 'newPassword', message: expect.stringContaining('at least 8') },
    ]);
  });

  test('refuses a common new password, as registration does, and keeps the old one', async () => {
    const user = await api.signUp();

    for (const newPassword of ['password', 'Password1', 'qwertyuiop']) {
      const response = await api.request('PUT', '/api/users/me/password', {
        token: user.token,
        json: { currentPassword: user.password, newPassword },
      });
      expectProblem(response, 422);
      expect(response.body.code).toBe('password-too-common');
    }
    expect((await logIn(user.email, user.password)).status).toBe(200);
  });
});

describe('half of a UTF-16 pair in a password', () => {
  // Argon2 hashes UTF-8, where a lone surrogate becomes U+FFFD: without a check, any lone
  // surrogate (or U+FFFD itself) would stand for another.
  test('is refused in a new password, and matches no password at login or as the current one', async () => {
    const user = await api.signUp(undefined, 'Zebra horse \ufffd');
    const lone = 'Zebra horse \ud800';

    expectProblem(await logIn(user.email, lone), 401);
    const change = (currentPassword: string, newPassword: string) =>
      api.request('PUT', '/api/users/me/password', {
        token: user.token,
        json: { currentPassword, newPassword },
      });
    expectProblem(await change(lone, 'a brand new password'), 403);
    const broken = await change(user.password, 'a brand new \udfff password');
    expectProblem(broken, 422);
    expect(broken.body.code).toBe('password-rules-not-met');
    expect((await logIn(user.email, user.password)).status).toBe(200);
  });
});

describe('POST /api/users/login with an email no account can have', () => {
  test('a NUL byte or a lone surrogate in it is a wrong login, not a database error', async () => {
    for (const email of ['a\u0000b@example.com', 'a\ud800b@example.com']) {
      expectProblem(await logIn(email, 'any password at all'), 401);
    }
  });
});

describe('DELETE /api/users/me', () => {
  test('needs the password', async () => {
    const user = await api.signUp();

    const response = await api.request('DELETE', '/api/users/me', {
      token: user.token,
      json: { password: 'not my password' },
    });

    expectProblem(response, 403);
    expect((await me(user.token)).status).toBe(200);
  });

  test('deletes the account, ends its sessions and deletes its projects and tasks', async () => {
    const user = await api.signUp();
    const other = await logIn(user.email, user.password);
    const project = await api.request('POST', '/api/projects', {
      token: user.token,
      json: { name: 'Leaving soon' },
    });
    await api.request('POST', `/api/projects/${project.body.id}/tasks`, {
      token: user.token,
      json: { name: 'Last task' },
    });
    const neighbour = await api.signUp();

    const response = await api.request('DELETE', '/api/users/me', {
      token: user.token,
      json: { password: user.password },
    });

    expect(response.status).toBe(204);
    for (const token of [user.token, other.body.access_token]) {
      expectProblem(await me(token), 401);
      expectProblem(await api.request('GET', '/api/projects', { token }), 401);
    }
    expectProblem(await refresh(user.refreshToken), 401);
    expectProblem(await logIn(user.email, user.password), 401);
    expect(await rowsOwnedBy(user.id)).toEqual({ projects: 0, tasks: 0 });
    expect((await rowsOwnedBy(neighbour.id)).projects).toBe(1);
    // The address is free again: a new account, with only its own starter project.
    const again = await api.signUp(user.email);
    const projects = await api.request('GET', '/api/projects', { token: again.token });
    expect(projects.body.projects.map((p: { name: string }) => p.name)).toEqual([
      'My first project',
    ]);
  });
});

describe('DELETE /api/users/me while the same account creates projects', () => {
  // Found from outside on PostgreSQL: creations that had passed the token check before the
  // deletion committed could commit after its projects were removed, and were kept.
  test('no project made meanwhile outlives the account', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await api.signUp();
      const creations = Array.from({ length: 20 }, (_, i) =>
        api.request('POST', '/api/projects', { token: user.token, json: { name: `Race ${i}` } }),
      );
      const deletion = api.request('DELETE', '/api/users/me', {
        token: user.token,
        json: { password: user.password },
      });
      const [deleted, ...created] = await Promise.all([deletion, ...creations]);

      expect(deleted.status).toBe(204);
      for (const response of created) expect([201, 401]).toContain(response.status);
      await vi.waitFor(async () =>
        expect(await rowsOwnedBy(user.id)).toEqual({ projects: 0, tasks: 0 }),
      );
    }
  });
});

/** What the database still holds of a user in `projects` (the deletion leaves nothing). */
async function rowsOwnedBy(userId: string) {
  const db = api.app.database.kysely.withTables<{
    'projects.projects': { id: number; owner_id: string };
    'projects.tasks': { project_id: number };
  }>();
  const projects = await db
    .selectFrom('projects.projects')
    .select('id')
    .where('owner_id', '=', userId)
    .execute();
  const tasks = await db
    .selectFrom('projects.tasks')
    .select('project_id')
    .where('project_id', 'in', projects.length ? projects.map((p) => p.id) : [-1])
    .execute();
  return { projects: projects.length, tasks: tasks.length };
}

describe('access-token checks', () => {
  const secret = testConfig().jwtSecret as string;
  const kid = createHash('sha256').update(secret).digest('base64url').slice(0, 16);

  /** A token signed with the service's own key, with the claims a test picks. */
  async function minted(
    sessionOf: { token: string },
    { iss = 'taskflow', aud = 'taskflow-api', lifetimeSeconds = 900 } = {},
  ) {
    const [, payload] = sessionOf.token.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', kid })
      .setSubject(claims.sub)
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(new TextEncoder().encode(secret));
  }

  test('a token made with the real key is accepted only with its issuer, audience and lifetime', async () => {
    const user = await api.signUp();

    expect((await me(await minted(user))).status).toBe(200);
    for (const wrong of [
      { iss: 'someone-else' },
      { aud: 'another-api' },
      { lifetimeSeconds: 60 * 60 * 24 * 365 * 975 }, // expiring in the year 3000
    ]) {
      const response = await me(await minted(user, wrong));
      expectProblem(response, 401);
      expect(response.body.code, JSON.stringify(wrong)).toBe('not-authenticated');
    }
  });
});
