import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectProblem, TestApi } from '../support/api.ts';

let api: TestApi;
let alice: Awaited<ReturnType<TestApi['signUp']>>;
let mallory: Awaited<ReturnType<TestApi['signUp']>>;
let project: number;

/** Every project and task route, with a body where one is needed. */
const routes = (projectId: number): [string, string, unknown?][] => [
  ['GET', `/api/projects/${projectId}`],
  ['PUT', `/api/projects/${projectId}`, { name: 'Taken over' }],
  ['PUT', `/api/projects/${projectId}/archive`],
  ['PUT', `/api/projects/${projectId}/unarchive`],
  ['DELETE', `/api/projects/${projectId}`],
  ['GET', `/api/projects/${projectId}/tasks`],
  ['POST', `/api/projects/${projectId}/tasks`, { name: 'Injected task' }],
  ['GET', `/api/projects/${projectId}/tasks/1`],
  ['PUT', `/api/projects/${projectId}/tasks/1/complete`],
  ['PUT', `/api/projects/${projectId}/tasks/2/incomplete`],
];

beforeAll(async () => {
  api = await TestApi.start();
  alice = await api.signUp();
  mallory = await api.signUp();
  const created = await api.request('POST', '/api/projects', {
    token: alice.token,
    json: { name: 'Private plans' },
  });
  project = created.body.id;
  for (const name of ['Secret one', 'Secret two']) {
    await api.request('POST', `/api/projects/${project}/tasks`, {
      token: alice.token,
      json: { name },
    });
  }
  await api.request('PUT', `/api/projects/${project}/tasks/2/complete`, { token: alice.token });
});
afterAll(() => api.close());

async function snapshotOfAlice() {
  const [details, tasks, list] = await Promise.all([
    api.request('GET', `/api/projects/${project}`, { token: alice.token }),
    api.request('GET', `/api/projects/${project}/tasks`, { token: alice.token }),
    api.request('GET', '/api/projects', { token: alice.token }),
  ]);
  return { details: details.body, tasks: tasks.body, list: list.body };
}

describe('another user’s project', () => {
  test('answers 404 on every route, exactly like a project that does not exist', async () => {
    for (const [method, path, json] of routes(project)) {
      const foreign = await api.request(method, path, { token: mallory.token, json });
      const missing = await api.request(method, path.replace(`/${project}`, '/999999'), {
        token: mallory.token,
        json,
      });

      expectProblem(foreign, 404);
      expect(foreign.body.title, `${method} ${path}`).toBe(missing.body.title);
      expect(foreign.body.code).toBe(missing.body.code);
    }
  });

  test('is left exactly as it was', async () => {
    const before = await snapshotOfAlice();

    for (const [method, path, json] of routes(project)) {
      await api.request(method, path, { token: mallory.token, json });
    }

    expect(await snapshotOfAlice()).toEqual(before);
  });

  test('never shows up in the other user’s lists', async () => {
    const projects = await api.request('GET', '/api/projects', { token: mallory.token });
    const me = await api.request('GET', '/api/users/me', { token: mallory.token });

    expect(projects.body.projects.map((p: { id: number }) => p.id)).not.toContain(project);
    expect(me.body.projects.map((p: { id: number }) => p.id)).not.toContain(project);
  });
});

describe('without a valid token', () => {
  test('every project route answers 401 with WWW-Authenticate', async () => {
    for (const [method, path, json] of [
      ['GET', '/api/projects'],
      ['POST', '/api/projects', { name: 'Anonymous' }],
      ...routes(project),
    ] as [string, string, unknown?][]) {
      for (const token of [undefined, 'invalid-token']) {
        const response = await api.request(method, path, { json, ...(token && { token }) });
        expectProblem(response, 401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
  });

  test('an anonymous request with an invalid body still gets 401, not a validation error', async () => {
    const response = await api.request('POST', '/api/projects', { json: { name: 1 } });

    expectProblem(response, 401);
  });
});
