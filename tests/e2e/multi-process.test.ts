import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ServerProcess } from '../support/server-process.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

const JWT_SECRET = 'multi-process-test-secret-0123456789-abcdefghijklmnop';

async function post(url: string, path: string, body: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

// Several instances share one database: behind a load balancer on PostgreSQL, or on one
// host on an SQLite file (there, a process's write that another process got ahead of is a
// concurrency conflict, run again by the bus).
const DATABASE = TEST_DIALECT === 'postgres' ? 'PostgreSQL database' : 'SQLite file';

describe(`two server processes on one ${DATABASE}`, () => {
  let database: FreshDatabase;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    const env = {
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

  test('20 registrations of one email spread over both give exactly one 201', async () => {
    const credentials = { email: 'race@example.com', password: 'a good password' };

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(server(i), '/api/users', credentials)),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
  });
});
