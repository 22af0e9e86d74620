import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ServerProcess } from '../support/server-process.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

const JWT_SECRET = 'multi-process-test-secret-0123456789-abcdefghijklmnop';
const ROTATED_SECRET = 'multi-process-test-secret-rotated-0123456789-abcdefgh';

async function post(url: string, path: string, body: unknown, token?: string) {
  return send('POST', url, path, body, token);
}

async function send(method: string, url: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const me = (url: string, token: string) => send('GET', url, '/api/users/me', undefined, token);

/**
 * The status `request` answers within `ms`. Another process hears of a session's end when
 * PostgreSQL's notification of the COMMIT arrives (ADR 19): moments, not at once.
 */
async function soon(request: () => Promise<{ status: number }>, ms = 2_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { status } = await request();
    if (status === 401 || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Several instances share one database: behind a load balancer on PostgreSQL, or on one
// host on an SQLite file (there, a process's write that another process got ahead of is a
// concurrency conflict, run again by the bus).
const DATABASE = TEST_DIALECT === 'postgres' ? 'PostgreSQL database' : 'SQLite file';

describe(`two server processes on one ${DATABASE}`, () => {
  let database: FreshDatabase;
  let servers: ServerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    };
    // Both start on an empty database at once: the migration lock must let one migrate.
    servers = await Promise.all([ServerProcess.start(env), ServerProcess.start(env)]);
    await Promise.all(servers.map((server) => server.ready()));
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  });

  const server = (i: number) => (servers[i % servers.length] as ServerProcess).url;

  test('50 task creations on one project spread over both get the numbers 1..50', async () => {
    const credentials = { email: 'many-tasks@example.com', password: 'a good password' };
    expect((await post(server(0), '/api/users', credentials)).status).toBe(201);
    const login = await post(server(1), '/api/users/login', credentials);
    const token = login.body.access_token as string;
    const project = await post(server(0), '/api/projects', { name: 'Busy project' }, token);
    expect(project.status).toBe(201);

    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(server(i), `/api/projects/${project.body.id}/tasks`, { name: `Task ${i}` }, token),
      ),
    );

    expect(created.map((response) => response.status)).toEqual(Array(50).fill(201));
    const numbers = created.map((response) => response.body.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  /** A new account, logged in twice on server 0: two sessions. */
  async function twoSessions(email: string) {
    const credentials = { email, password: 'a good password' };
    expect((await post(server(0), '/api/users', credentials)).status).toBe(201);
    const first = await post(server(0), '/api/users/login', credentials);
    const second = await post(server(0), '/api/users/login', credentials);
    return { credentials, first: first.body, second: second.body };
  }

  test('a logout on one process ends the session on the other within moments', async () => {
    const { first, second } = await twoSessions('logout@example.com');
    // A successful request first: on PostgreSQL, server 1 now keeps the session's status.
    expect((await me(server(1), first.access_token)).status).toBe(200);

    expect((await post(server(0), '/api/users/logout', {}, first.access_token)).status).toBe(204);

    expect(await soon(() => me(server(1), first.access_token))).toBe(401);
    expect((await me(server(1), second.access_token)).status).toBe(200);
  });

  test('a password change on one process ends the other sessions on the other within moments', async () => {
    const { credentials, first, second } = await twoSessions('password@example.com');
    expect((await me(server(1), second.access_token)).status).toBe(200);

    const changed = await send(
      'PUT',
      server(0),
      '/api/users/me/password',
      { currentPassword: credentials.password, newPassword: 'another good password' },
      first.access_token,
    );

    expect(changed.status).toBe(204);
    expect(await soon(() => me(server(1), second.access_token))).toBe(401);
    expect((await me(server(1), first.access_token)).status).toBe(200);
  });

  test('an account deleted on one process stops working on the other within moments', async () => {
    const { credentials, first, second } = await twoSessions('leaving@example.com');
    expect((await me(server(1), second.access_token)).status).toBe(200);
    const projects = () => send('GET', server(1), '/api/projects', undefined, second.access_token);
    expect((await projects()).status).toBe(200);

    const deleted = await send(
      'DELETE',
      server(0),
      '/api/users/me',
      { password: credentials.password },
      first.access_token,
    );

    expect(deleted.status).toBe(204);
    expect(await soon(() => me(server(1), second.access_token))).toBe(401);
    expect((await projects()).status).toBe(401);
    const project = await post(server(1), '/api/projects', { name: 'Ghost' }, second.access_token);
    expect(project.status).toBe(401);
  });

  test('a rotated signing key logs nobody out: the old key still verifies, the new one signs', async () => {
    const { credentials, first } = await twoSessions('rotation@example.com');
    const rotated = await ServerProcess.start({
      ...env,
      JWT_SECRET: ROTATED_SECRET,
      JWT_PREVIOUS_SECRETS: JWT_SECRET,
    });
    try {
      await rotated.ready();

      expect((await me(rotated.url, first.access_token)).status).toBe(200);
      const login = await post(rotated.url, '/api/users/login', credentials);
      expect((await me(rotated.url, login.body.access_token)).status).toBe(200);
      // An instance not yet given the new key refuses what the new key signed.
      expect((await me(server(0), login.body.access_token)).status).toBe(401);
    } finally {
      await rotated.stop();
    }
  });

  test('20 registrations of one email spread over both give exactly one 201', async () => {
    const credentials = { email: 'race@example.com', password: 'a good password' };

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(server(i), '/api/users', credentials)),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
  });
});
