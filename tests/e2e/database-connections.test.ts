import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ServerProcess } from '../support/server-process.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

// An administrator, a failover or a network blip ends the service's PostgreSQL connections
// while requests use them. The process must survive, fail only the requests that were using
// a lost connection (503, or succeed after the bus ran the command again), replace the
// connections, and lose no write it acknowledged.

const JWT_SECRET = 'connection-loss-test-secret-0123456789-abcdefghijklm';

async function call(url: string, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as any) : undefined,
  };
}

/** Ends every connection to the database but the caller's own; returns how many. */
async function terminateBackends(adminUrl: string, database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = $1 and pid <> pg_backend_pid()`,
      [database],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

async function eventually(check: () => Promise<boolean>, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not within ${seconds} s`);
}

describe.runIf(TEST_DIALECT === 'postgres')('PostgreSQL connections lost under load', () => {
  let database: FreshDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await freshDatabase();
    server = await ServerProcess.start({
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    });
    await server.ready();
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test('commands whose connections are ended while they wait run again on new ones', async () => {
    const credentials = { email: 'waiting@example.com', password: 'a good password' };
    expect((await call(server.url, 'POST', '/api/users', credentials)).status).toBe(201);
    const login = await call(server.url, 'POST', '/api/users/login', credentials);
    const token = login.body.access_token as string;
    const project = await call(server.url, 'POST', '/api/projects', { name: 'Held' }, token);
    const name = new URL(database.url).pathname.slice(1);

    // The test holds the project's row lock, so the service's commands wait for it with
    // their connections checked out and a transaction open: exactly the connections that
    // are in use when an administrator ends them.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    const holderPid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid;
    await holder.query('begin');
    await holder.query('select 1 from projects.projects where id = $1 for update', [
      project.body.id,
    ]);
    const waiting = Array.from({ length: 4 }, (_, i) =>
      call(
        server.url,
        'POST',
        `/api/projects/${project.body.id}/tasks`,
        { name: `Waits ${i}` },
        token,
      ),
    );
    // Wait until at least one of them waits for the lock inside its transaction (on a
    // busy machine the pool may still be opening connections for the others).
    await eventually(async () => {
      const { rows } = await holder.query(
        `select count(*)::int as n from pg_stat_activity
         where datname = $1 and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        [name],
      );
      return rows[0].n >= 1;
    }, 20);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const { rowCount: ended } = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = $1 and wait_event_type = 'Lock' and pid <> $2`,
      [name, holderPid],
    );
    await admin.end();
    expect(ended).toBeGreaterThanOrEqual(1);
    await holder.query('commit');
    await holder.end();

    const answers = await Promise.all(waiting);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    // Each command whose connection was ended ran again on a new one, and succeeded.
    expect(server.exitCode).toBeNull();
    const numbers = answers.map((answer) => answer.body.number).sort();
    expect(numbers).toEqual([1, 2, 3, 4]);
  });

  test('the process survives, failed requests answer 503, and no acknowledged write is lost', async () => {
    const credentials = { email: 'blip@example.com', password: 'a good password' };
    expect((await call(server.url, 'POST', '/api/users', credentials)).status).toBe(201);
    const login = await call(server.url, 'POST', '/api/users/login', credentials);
    const token = login.body.access_token as string;
    const project = await call(server.url, 'POST', '/api/projects', { name: 'Busy' }, token);
    const tasks = `/api/projects/${project.body.id}/tasks`;

    const acknowledged: number[] = [];
    const statuses: number[] = [];
    let loading = true;
    const client = async (i: number) => {
      while (loading) {
        const response =
          i % 2 === 0
            ? await call(server.url, 'POST', tasks, { name: `Task ${i}` }, token)
            : await call(server.url, 'GET', tasks, undefined, token);
        statuses.push(response.status);
        if (response.status === 201) acknowledged.push(response.body.number);
        if (response.status === 503) {
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          // Nothing written: send it again after Retry-After. Lost during COMMIT: look first.
          if (response.body.code === 'service-unavailable') {
            expect(response.headers.get('retry-after')).toBe('1');
          } else {
            expect(response.body.code).toBe('outcome-unknown');
          }
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, i) => client(i)));

    const name = new URL(database.url).pathname.slice(1);
    const adminUrl = process.env.TEST_DATABASE_URL as string;
    // Each kill lands while writes are being acknowledged, and writes are acknowledged again
    // after the last one: progress, not a guessed pause, paces the test.
    const progressed = async () => {
      const before = acknowledged.length;
      await eventually(async () => acknowledged.length >= before + 20, 10);
    };
    for (let kill = 0; kill < 2; kill++) {
      await progressed();
      expect(await terminateBackends(adminUrl, name)).toBeGreaterThan(0);
    }
    await progressed();
    loading = false;
    await load;

    expect(server.exitCode, server.output).toBeNull();
    expect(statuses.filter((status) => ![200, 201, 503].includes(status))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(server.output).not.toMatch(/"level":50/);

    await eventually(
      async () => (await call(server.url, 'GET', '/health/ready')).status === 200,
      5,
    );
    // Every task, page by page.
    const stored: number[] = [];
    for (let page = `${tasks}?limit=200`; ; ) {
      const after = await call(server.url, 'GET', page, undefined, token);
      expect(after.status).toBe(200);
      stored.push(...(after.body.tasks as { number: number }[]).map((task) => task.number));
      if (after.body.nextCursor === null) break;
      page = `${tasks}?limit=200&cursor=${encodeURIComponent(after.body.nextCursor)}`;
    }
    expect(stored).toEqual(expect.arrayContaining(acknowledged));
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
  });
});
