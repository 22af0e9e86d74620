import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectProblem, TestApi } from '../support/api.ts';

let api: TestApi;
let token: string;

beforeAll(async () => {
  api = await TestApi.start();
  ({ token } = await api.signUp());
});
afterAll(() => api.close());

const call = (method: string, path: string, options: { json?: unknown; ifMatch?: string } = {}) =>
  api.request(method, path, {
    token,
    ...(options.json !== undefined && { json: options.json }),
    ...(options.ifMatch !== undefined && { headers: { 'if-match': options.ifMatch } }),
  });

async function createProject(): Promise<number> {
  const response = await call('POST', '/api/projects', { json: { name: 'Tagged project' } });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function etagOf(path: string): Promise<string> {
  const response = await call('GET', path);
  expect(response.status).toBe(200);
  const etag = response.headers.get('etag');
  expect(etag).toMatch(/^"[^"]+"$/);
  return etag as string;
}

describe('ETag and If-None-Match', () => {
  test('a project’s strong ETag changes with every change, and If-None-Match gives 304', async () => {
    const id = await createProject();
    const before = await etagOf(`/api/projects/${id}`);

    const notModified = await api.request('GET', `/api/projects/${id}`, {
      token,
      headers: { 'if-none-match': `"nope", ${before}` },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.get('etag')).toBe(before);
    // No length or type of a body it does not have.
    expect(notModified.headers.get('content-length')).toBeNull();
    expect(notModified.headers.get('content-type')).toBeNull();
    const weak = await api.request('GET', `/api/projects/${id}`, {
      token,
      headers: { 'if-none-match': `W/${before}` },
    });
    expect(weak.status).toBe(304);

    expect((await call('PUT', `/api/projects/${id}`, { json: { name: 'Renamed' } })).status).toBe(
      200,
    );
    const after = await etagOf(`/api/projects/${id}`);
    expect(after).not.toBe(before);
    const modified = await api.request('GET', `/api/projects/${id}`, {
      token,
      headers: { 'if-none-match': before },
    });
    expect(modified.status).toBe(200);
    expect(modified.body.name).toBe('Renamed');
  });

  test('a task’s ETag follows the task, not the other tasks of its project', async () => {
    const id = await createProject();
    for (const name of ['First', 'Second']) {
      expect((await call('POST', `/api/projects/${id}/tasks`, { json: { name } })).status).toBe(
        201,
      );
    }
    const task = `/api/projects/${id}/tasks/1`;
    const open = await etagOf(task);

    expect((await call('PUT', `/api/projects/${id}/tasks/2/complete`)).status).toBe(200);
    expect(await etagOf(task)).toBe(open);
    const notModified = await api.request('GET', task, {
      token,
      headers: { 'if-none-match': open },
    });
    expect(notModified.status).toBe(304);

    expect((await call('PUT', `${task}/complete`)).status).toBe(200);
    expect(await etagOf(task)).not.toBe(open);
  });
});

describe('If-Match', () => {
  test('two clients with the same ETag: one wins, the other gets 412 and changes nothing', async () => {
    const id = await createProject();
    const etag = await etagOf(`/api/projects/${id}`);

    const answers = await Promise.all(
      ['Alice’s name', 'Bob’s name'].map((name) =>
        call('PUT', `/api/projects/${id}`, { json: { name }, ifMatch: etag }),
      ),
    );

    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 412]);
    const loser = answers.find((a) => a.status === 412);
    const winner = answers.find((a) => a.status === 200);
    expectProblem(loser as NonNullable<typeof loser>, 412);
    expect(loser?.body.code).toBe('precondition-failed');
    expect((await call('GET', `/api/projects/${id}`)).body.name).toBe(winner?.body.name);
  });

  test('20 clients with the same task ETag: exactly one completes it', async () => {
    const id = await createProject();
    expect(
      (await call('POST', `/api/projects/${id}/tasks`, { json: { name: 'Race' } })).status,
    ).toBe(201);
    const task = `/api/projects/${id}/tasks/1`;
    const etag = await etagOf(task);

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call('PUT', `${task}/complete`, { ifMatch: etag })),
    );

    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 412)).toHaveLength(19);
  });

  test('PUT, DELETE and the actions honour If-Match; without it they behave as before', async () => {
    const id = await createProject();
    const project = `/api/projects/${id}`;
    const stale = await etagOf(project);
    expect((await call('PUT', project, { json: { name: 'Moved on' } })).status).toBe(200);
    const current = await etagOf(project);

    for (const [method, path] of [
      ['PUT', `${project}/archive`],
      ['PUT', `${project}/unarchive`],
      ['DELETE', project],
    ] as const) {
      expectProblem(await call(method, path, { ifMatch: stale }), 412);
    }
    expectProblem(await call('PUT', project, { json: { name: 'Late' }, ifMatch: stale }), 412);
    expectProblem(
      await call('PUT', project, { json: { name: 'Weak' }, ifMatch: `W/${current}` }),
      412,
    );
    expectProblem(
      await call('PUT', project, { json: { name: 'Bad tag' }, ifMatch: 'garbage' }),
      412,
    );
    expect((await call('GET', project)).body.name).toBe('Moved on');

    expect((await call('PUT', `${project}/archive`, { ifMatch: `"x", ${current}` })).status).toBe(
      200,
    );
    expect((await call('PUT', `${project}/unarchive`, { ifMatch: '*' })).status).toBe(200);
    expect((await call('PUT', `${project}/archive`)).status).toBe(200);
    expect((await call('DELETE', project, { ifMatch: await etagOf(project) })).status).toBe(204);
  });

  test('a task action with a stale task ETag is a 412; with the current one it runs', async () => {
    const id = await createProject();
    expect(
      (await call('POST', `/api/projects/${id}/tasks`, { json: { name: 'Task' } })).status,
    ).toBe(201);
    const task = `/api/projects/${id}/tasks/1`;
    const open = await etagOf(task);
    expect((await call('PUT', `${task}/complete`)).status).toBe(200);

    expectProblem(await call('PUT', `${task}/incomplete`, { ifMatch: open }), 412);
    expect((await call('GET', task)).body.completedAt).not.toBeNull();
    expect((await call('PUT', `${task}/incomplete`, { ifMatch: await etagOf(task) })).status).toBe(
      200,
    );
    expectProblem(
      await call('PUT', `/api/projects/${id}/tasks/9/complete`, { ifMatch: open }),
      404,
    );
  });
});
