import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JwtAccessTokens } from '../../src/accounts/infrastructure/jwt-access-tokens.ts';
import { systemClock } from '../../src/building-blocks/application/clock.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { expectProblem, TestApi } from '../support/api.ts';
import { testConfig } from '../support/test-config.ts';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(() => api.close());

/** A failed login, as if forwarded by a proxy for `client`. */
const loginFrom = (instance: TestApi, client: string) =>
  instance.request('POST', '/api/users/login', {
    json: { email: 'x@example.com', password: 'whatever1' },
    headers: { 'x-forwarded-for': client },
  });

/** Runs `work` against an instance of its own, with these settings. */
async function withApi(
  config: Parameters<typeof TestApi.start>[0],
  work: (instance: TestApi) => Promise<void>,
) {
  const instance = await TestApi.start(config);
  try {
    await work(instance);
  } finally {
    await instance.close();
  }
}

describe('POST /api/users', () => {
  test('registers a user with a normalised email and points to /api/users/me', async () => {
    const response = await api.request('POST', '/api/users', {
      json: { email: '  Alice.Smith@Example.COM ', password: 'long enough' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/users/me');
    expect(response.body).toEqual({ id: expect.any(String), email: 'alice.smith@example.com' });
    expect(response.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
  });

  test.each([
    'ann+tasks@example.com',
    "o'brien@mail.example.co.uk",
    'ann@xn--bcher-kva.example',
    'ann@example.xn--p1ai',
    'ANN@EXAMPLE.ORG',
  ])('takes the address %s', async (email) => {
    const response = await api.request('POST', '/api/users', {
      json: { email, password: 'long enough' },
    });

    expect(response.status).toBe(201);
    expect(response.body.email).toBe(email.toLowerCase());
  });

  test('refuses an email that is taken, whatever its case', async () => {
    const { email } = await api.signUp();

    const response = await api.request('POST', '/api/users', {
      json: { email: email.toUpperCase(), password: 'another password' },
    });

    expectProblem(response, 409);
    expect(response.body.code).toBe('email-already-taken');
  });

  test.each([
    [{ email: 'not-an-email', password: 'long enough' }, 'email'],
    // A domain label may not end (or start) with a hyphen: `format: email` says so.
    [{ email: 'ann@mail-.example.com', password: 'long enough' }, 'email'],
    [{ email: 'ann@-mail.example.com', password: 'long enough' }, 'email'],
    [{ email: 'bob@example.com', password: 'short' }, 'password'],
    [{ email: 'bob@example.com', password: 'x'.repeat(129) }, 'password'],
    [{ password: 'long enough' }, 'email'],
    [{ email: 'bob@example.com', password: 12345678 }, 'password'],
  ])('rejects %j with a 422 naming the field', async (body, field) => {
    const response = await api.request('POST', '/api/users', { json: body });

    expectProblem(response, 422);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });
});

describe('POST /api/users/login', () => {
  test('accepts the OAuth2 password form and returns a bearer token and a refresh token', async () => {
    const { email, password } = await api.signUp();

    const response = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'password', username: email, password },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const me = await api.request('GET', '/api/users/me', { token: response.body.access_token });
    expect(me.body.email).toBe(email);
  });

  test('accepts JSON {email, password}, the email in any case', async () => {
    const { email, password } = await api.signUp();

    const response = await api.request('POST', '/api/users/login', {
      json: { email: email.toUpperCase(), password },
    });

    expect(response.status).toBe(200);
  });

  test('gives the same 401 for an unknown email and a wrong password', async () => {
    const { email } = await api.signUp();

    const wrongPassword = await api.request('POST', '/api/users/login', {
      json: { email, password: 'not the password' },
    });
    const unknownEmail = await api.request('POST', '/api/users/login', {
      json: { email: 'nobody@example.com', password: 'not the password' },
    });

    for (const response of [wrongPassword, unknownEmail]) {
      expectProblem(response, 401);
      expect(response.body.detail).toBe('Invalid email or password');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(unknownEmail.body).toEqual(wrongPassword.body);
  });

  test('a request with no body at all (no Content-Type either) is a 422, as on every route, not a 500', async () => {
    const variants: Record<string, string>[] = [
      {},
      { 'x-refresh-token-transport': 'cookie', cookie: 'refresh_token=abc' },
    ];
    for (const headers of variants) {
      const response = await api.request('POST', '/api/users/login', { headers });

      expectProblem(response, 422);
      expect(response.body.code).toBe('validation-failed');
    }
  });
});

describe('GET /api/users/me', () => {
  test('returns the user and their projects', async () => {
    const user = await api.signUp();

    const response = await api.request('GET', '/api/users/me', { token: user.token });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: user.id,
      email: user.email,
      projects: [{ id: expect.any(Number), name: 'My first project' }],
    });
  });

  test.each([
    ['no token', {}],
    ['a malformed header', { headers: { authorization: 'Basic abc' } }],
    ['a garbage token', { token: 'not.a.token' }],
    [
      'a token signed with another secret',
      {
        token:
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTllMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDEiLCJpc3MiOiJ0YXNrZmxvdyIsImF1ZCI6InRhc2tmbG93LWFwaSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAwMDAwMDAwfQ.5Yb2M3m2-8JkqYbI0zX7y6R4tG6Pj0vWbq3g1o7X0nE',
      },
    ],
  ])('answers 401 with WWW-Authenticate for %s', async (_, options) => {
    const response = await api.request('GET', '/api/users/me', options);

    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  test('answers 401 for a token signed with the real key whose session is not a session id', async () => {
    const user = await api.signUp();
    // The service's own signer, with the test configuration's key: a token a holder of the key
    // could make. On PostgreSQL its session once reached a uuid column and answered 500.
    const forger = new JwtAccessTokens({
      secret: testConfig().jwtSecret as string,
      ttlSeconds: 900,
      clock: systemClock,
    });
    for (const sessionId of ['not-a-uuid', '', 'x'.repeat(5_000)]) {
      const { accessToken } = await forger.issue({ userId: user.id as UserId, sessionId });
      const response = await api.request('GET', '/api/users/me', { token: accessToken });

      expectProblem(response, 401);
      expect(response.body.code).toBe('not-authenticated');
    }
  });

  test('answers 401 for a valid token of a user this database does not know', async () => {
    const other = await TestApi.start();
    try {
      const stranger = await other.signUp();
      const response = await api.request('GET', '/api/users/me', { token: stranger.token });
      expectProblem(response, 401);
    } finally {
      await other.close();
    }
  });
});

describe('PUT /api/users/me', () => {
  test('changes the email address, and logging in uses the new one', async () => {
    const user = await api.signUp();
    const newEmail = api.uniqueEmail('renamed');

    const response = await api.request('PUT', '/api/users/me', {
      token: user.token,
      json: { email: newEmail.toUpperCase() },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: user.id,
      email: newEmail,
      projects: expect.any(Array),
    });
    const login = await api.request('POST', '/api/users/login', {
      json: { email: newEmail, password: user.password },
    });
    expect(login.status).toBe(200);
  });

  test('refuses an email another user has', async () => {
    const alice = await api.signUp();
    const bob = await api.signUp();

    const response = await api.request('PUT', '/api/users/me', {
      token: bob.token,
      json: { email: alice.email },
    });

    expectProblem(response, 409);
  });

  test('refuses an invalid email with 422', async () => {
    const user = await api.signUp();

    const response = await api.request('PUT', '/api/users/me', {
      token: user.token,
      json: { email: 'nope' },
    });

    expectProblem(response, 422);
  });
});

describe('the HTTP edge', () => {
  test('malformed JSON is a 400', async () => {
    const response = await api.request('POST', '/api/users', {
      rawBody: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });

    expectProblem(response, 400);
  });

  test('a body that is not JSON is a 415', async () => {
    const response = await api.request('POST', '/api/users', {
      rawBody: 'email=a',
      headers: { 'content-type': 'text/plain' },
    });

    expectProblem(response, 415);
  });

  test('a body over 64 KiB is a 413', async () => {
    const response = await api.request('POST', '/api/users', {
      json: { email: 'big@example.com', password: 'x'.repeat(70 * 1024) },
    });

    expectProblem(response, 413);
  });

  test('an unknown route is a 404 problem document', async () => {
    const response = await api.request('GET', '/api/nothing-here');

    expectProblem(response, 404);
  });

  test('login and registration floods get 429 with Retry-After', async () => {
    await withApi({ authRateLimitPerMinute: 2 }, async (limited) => {
      const attempt = () =>
        limited.request('POST', '/api/users/login', {
          json: { email: 'x@example.com', password: 'whatever1' },
        });
      const first = await attempt();
      await attempt();
      const response = await attempt();

      expectProblem(response, 429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      // Retry-After is the one header of the limiter (none the OpenAPI document leaves out).
      for (const answer of [first, response]) {
        expect([...answer.headers.keys()].filter((name) => name.startsWith('x-ratelimit'))).toEqual(
          [],
        );
      }
    });
  });

  test('behind a trusted proxy, each forwarded client has its own login limit', async () => {
    await withApi({ authRateLimitPerMinute: 2, trustProxy: ['loopback'] }, async (instance) => {
      await loginFrom(instance, '203.0.113.7');
      await loginFrom(instance, '203.0.113.7');

      expectProblem(await loginFrom(instance, '203.0.113.7'), 429);
      expectProblem(await loginFrom(instance, '198.51.100.9'), 401);
    });
  });

  test('without a trusted proxy, X-Forwarded-For does not dodge the limit', async () => {
    await withApi({ authRateLimitPerMinute: 2 }, async (instance) => {
      await loginFrom(instance, '203.0.113.7');
      await loginFrom(instance, '203.0.113.8');

      expectProblem(await loginFrom(instance, '198.51.100.9'), 429);
    });
  });

  test('health and readiness answer 200', async () => {
    expect((await api.request('GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await api.request('GET', '/health/ready')).status).toBe(200);
  });

  test('readiness answers 503 when the database is gone', async () => {
    const broken = await TestApi.start();
    await broken.app.database.close();
    try {
      expectProblem(await broken.request('GET', '/health/ready'), 503);
    } finally {
      // Its worker process too, when it has one (through the broker).
      await broken.close().catch(() => {});
    }
  });

  test('responses carry a request id, echoed when the client sends one', async () => {
    const response = await api.request('GET', '/health', {
      headers: { 'x-request-id': 'abc-123' },
    });

    expect(response.headers.get('x-request-id')).toBe('abc-123');
    const forged = await api.request('GET', '/health', {
      headers: { 'x-request-id': `evil ${'x'.repeat(200)}` },
    });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const path of ['/api/users/me', '/no/such/route']) {
      const problem = await api.request('GET', path, { headers: { 'x-request-id': 'err-7' } });
      expect(problem.status).toBeGreaterThanOrEqual(400);
      expect(problem.headers.get('x-request-id')).toBe('err-7');
    }
  });

  test('the OpenAPI document lists every route with its error responses', async () => {
    const { body } = await api.request('GET', '/openapi.json');

    expect(body.openapi).toBe('3.1.0');
    const operations = {
      '/api/users': ['post'],
      '/api/users/login': ['post'],
      '/api/users/me': ['get', 'put'],
      '/api/projects': ['get', 'post'],
      '/api/projects/{projectId}': ['get', 'put', 'delete'],
      '/api/projects/{projectId}/archive': ['put'],
      '/api/projects/{projectId}/unarchive': ['put'],
      '/api/projects/{projectId}/tasks': ['get', 'post'],
      '/api/projects/{projectId}/tasks/{taskNumber}': ['get'],
      '/api/projects/{projectId}/tasks/{taskNumber}/complete': ['put'],
      '/api/projects/{projectId}/tasks/{taskNumber}/incomplete': ['put'],
    };
    for (const [path, methods] of Object.entries(operations)) {
      for (const method of methods) {
        const operation = body.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        const errors = Object.keys(operation.responses).filter((status) => status >= '400');
        expect(errors.length, `${method} ${path} documents its errors`).toBeGreaterThan(0);
      }
    }
    expect(body.paths['/api/users/me'].get.responses['401']).toBeDefined();
    expect(body.paths['/api/projects/{projectId}'].get.responses['404']).toBeDefined();
  });

  test('the docs page is served', async () => {
    const response = await fetch(new URL('/docs', api.baseUrl));

    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<html/i);
  });
});
