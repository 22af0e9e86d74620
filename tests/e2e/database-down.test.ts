import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiResponse, expectProblem, TestApi } from '../support/api.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { TEST_DIALECT } from '../support/test-database.ts';

// The database goes away (stopped: connections end, new ones are refused) and comes back.
// Every route that needs it answers 503 with Retry-After meanwhile, never a 500, and the
// service serves again by itself once it is back: no restart. A database that accepts
// connections and never answers (stopped with SIGSTOP, or a proxy in front of it stopped)
// takes the service out of the load balancer's rotation as quickly: readiness answers 503
// within 2 s.

describe.runIf(TEST_DIALECT === 'postgres')('while PostgreSQL is down', () => {
  let api: TestApi;
  let proxy: TcpProxy;
  let user: Awaited<ReturnType<TestApi['signUp']>>;
  let project: number;

  beforeAll(async () => {
    proxy = TcpProxy.for(process.env.TEST_DATABASE_URL as string);
    await proxy.up();
    api = await TestApi.start({ databasePoolSize: 2 }, {}, (url) => proxy.via(url));
    user = await api.signUp();
    project = (
      await api.request('POST', '/api/projects', { token: user.token, json: { name: 'Outage' } })
    ).body.id;
    await api.request('POST', `/api/projects/${project}/tasks`, {
      token: user.token,
      json: { name: 'Survive it' },
    });
  });
  afterAll(async () => {
    await proxy.up().catch(() => undefined);
    await api.close();
    await proxy.down();
  });

  /** One valid request per operation of the served document, so each reaches the database. */
  async function everyOperation(): Promise<[string, ApiResponse][]> {
    const document = (await api.request('GET', '/openapi.json')).body;
    const bodies: Record<string, { json?: unknown; form?: Record<string, string> }> = {
      registerUser: { json: { email: api.uniqueEmail(), password: 'correct horse battery' } },
      logIn: { json: { email: user.email, password: user.password } },
      changeEmailAddress: { json: { email: api.uniqueEmail() } },
      createProject: { json: { name: 'During outage' } },
      updateProject: { json: { name: 'Renamed' } },
      createTask: { json: { name: 'During outage' } },
    };
    const answers: [string, ApiResponse][] = [];
    for (const [template, item] of Object.entries(document.paths)) {
      if (!template.startsWith('/api/')) continue;
      const path = template.replace('{projectId}', String(project)).replace('{taskNumber}', '1');
      for (const [method, operation] of Object.entries(
        item as Record<string, { operationId: string }>,
      )) {
        const response = await api.request(method.toUpperCase(), path, {
          token: user.token,
          ...bodies[operation.operationId],
        });
        answers.push([operation.operationId, response]);
      }
    }
    return answers;
  }

  test('every route answers 503 with Retry-After, and the service recovers by itself', async () => {
    await proxy.down();

    const answers = await everyOperation();
    expect(answers.length).toBeGreaterThanOrEqual(16);
    for (const [operationId, response] of answers) {
      expect(response.status, `${operationId}: ${JSON.stringify(response.body)}`).toBe(503);
      expectProblem(response, 503);
      expect(response.headers.get('retry-after'), operationId).toBe('1');
    }
    const ready = await api.request('GET', '/health/ready');
    expectProblem(ready, 503);

    await proxy.up();
    const deadline = Date.now() + 15_000;
    while ((await api.request('GET', '/health/ready')).status !== 200) {
      if (Date.now() > deadline) throw new Error('the service did not recover within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = await api.request('GET', `/api/projects/${project}/tasks`, { token: user.token });
    expect(after.status).toBe(200);
    expect(after.body.tasks.map((t: { name: string }) => t.name)).toContain('Survive it');
  });

  test('readiness answers 503 within 2 s while PostgreSQL accepts connections and never answers', async () => {
    proxy.silence();

    // A pool of two: the first checks may find its connections (silent now), so the third at
    // least opens a new one, which the server accepts and never answers (the pool would wait
    // 5 s for it).
    const took: number[] = [];
    try {
      for (let check = 0; check < 3; check++) {
        const started = performance.now();
        expectProblem(await api.request('GET', '/health/ready'), 503);
        took.push(Math.round(performance.now() - started));
      }
    } finally {
      // The server restarts: the connections it left silent end (closing the service would
      // otherwise wait on them).
      proxy.refuse();
      await proxy.up();
    }
    expect(Math.max(...took), `the checks took ${took.join(', ')} ms`).toBeLessThan(2_500);

    const deadline = Date.now() + 15_000;
    while ((await api.request('GET', '/health/ready')).status !== 200) {
      if (Date.now() > deadline) throw new Error('the service did not recover within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
