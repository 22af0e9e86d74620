import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { FixedClock } from '../../src/building-blocks/application/testing/fixed-clock.ts';
import { expectProblem, TestApi } from '../support/api.ts';

let api: TestApi;
let token: string;

beforeAll(async () => {
  api = await TestApi.start();
  ({ token } = await api.signUp());
});
afterAll(() => api.close());

const call = (method: string, path: string, json?: unknown) =>
  api.request(method, path, { token, ...(json !== undefined && { json }) });

async function createProject(body: Record<string, unknown> = { name: 'Test project' }) {
  const response = await call('POST', '/api/projects', body);
  expect(response.status).toBe(201);
  return response.body as { id: number; name: string };
}

async function addTasks(projectId: number, count: number) {
  for (let i = 1; i <= count; i++) {
    expect(
      (await call('POST', `/api/projects/${projectId}/tasks`, { name: `Task ${i}` })).status,
    ).toBe(201);
  }
}

describe('the starter project', () => {
  test('a new user has "My first project" with three tasks, "Sign up!" done', async () => {
    const user = await api.signUp();
    const me = await api.request('GET', '/api/users/me', { token: user.token });
    const [project] = me.body.projects;

    const tasks = await api.request('GET', `/api/projects/${project.id}/tasks`, {
      token: user.token,
    });

    expect(project.name).toBe('My first project');
    expect(tasks.body.tasks).toEqual([
      { number: 1, name: 'Sign up!', completedAt: expect.stringMatching(/Z$/) },
      { number: 2, name: 'Watch the tutorial', completedAt: null },
      { number: 3, name: 'Start using our awesome app', completedAt: null },
    ]);
  });
});

describe('projects', () => {
  test('POST creates a project: 201, Location, the resource', async () => {
    const response = await call('POST', '/api/projects', {
      name: '  Garden  ',
      maximumNumberOfIncompleteTasks: 3,
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/projects/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.any(Number),
      name: 'Garden',
      maximumNumberOfIncompleteTasks: 3,
      numberOfIncompleteTasks: 0,
      archived: false,
      archivedAt: null,
    });
  });

  test.each([
    [{ name: 'abc' }, 'name'],
    [{ name: '   abc   ' }, 'name'],
    [{ name: 'x'.repeat(33) }, 'name'],
    [{ name: 'Fine name', maximumNumberOfIncompleteTasks: 0 }, 'maximumNumberOfIncompleteTasks'],
    [{ name: 'Fine name', maximumNumberOfIncompleteTasks: 1.5 }, 'maximumNumberOfIncompleteTasks'],
    [{ name: 'Fine name', maximumNumberOfIncompleteTasks: '3' }, 'maximumNumberOfIncompleteTasks'],
  ])('POST rejects %j with 422', async (body, field) => {
    const response = await call('POST', '/api/projects', body);

    expectProblem(response, 422);
    expect(response.body.errors[0].path).toBe(field);
  });

  test('GET lists only the caller’s projects, oldest first, not deleted ones', async () => {
    const user = await api.signUp();
    const as = (method: string, path: string, json?: unknown) =>
      api.request(method, path, { token: user.token, json });
    const a = (await as('POST', '/api/projects', { name: 'Project A' })).body;
    const b = (await as('POST', '/api/projects', { name: 'Project B' })).body;
    await as('PUT', `/api/projects/${a.id}/archive`);
    await as('DELETE', `/api/projects/${a.id}`);

    const response = await as('GET', '/api/projects');

    expect(response.body.projects.map((p: { name: string }) => p.name)).toEqual([
      'My first project',
      b.name,
    ]);
  });

  test('GET one project', async () => {
    const project = await createProject();

    const response = await call('GET', `/api/projects/${project.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: project.id, name: 'Test project', archived: false });
  });

  test('PUT renames and changes the limit; null removes it; fields left out stay', async () => {
    const project = await createProject({ name: 'Old name', maximumNumberOfIncompleteTasks: 5 });

    const renamed = await call('PUT', `/api/projects/${project.id}`, { name: 'New name' });
    const unlimited = await call('PUT', `/api/projects/${project.id}`, {
      maximumNumberOfIncompleteTasks: null,
    });

    expect(renamed.body).toMatchObject({ name: 'New name', maximumNumberOfIncompleteTasks: 5 });
    expect(unlimited.status).toBe(200);
    expect(unlimited.body).toMatchObject({
      name: 'New name',
      maximumNumberOfIncompleteTasks: null,
    });
  });

  test('PUT refuses a limit below the number of incomplete tasks', async () => {
    const project = await createProject();
    await addTasks(project.id, 3);

    const response = await call('PUT', `/api/projects/${project.id}`, {
      maximumNumberOfIncompleteTasks: 2,
    });

    expectProblem(response, 409);
    expect(
      (await call('GET', `/api/projects/${project.id}`)).body.maximumNumberOfIncompleteTasks,
    ).toBe(null);
  });

  test('archive needs every task complete: 409 "Project has N incomplete tasks"', async () => {
    const project = await createProject();
    await addTasks(project.id, 2);

    const response = await call('PUT', `/api/projects/${project.id}/archive`);

    expectProblem(response, 409);
    expect(response.body.detail).toBe('Project has 2 incomplete tasks');
  });

  test('archive, then unarchive', async () => {
    const project = await createProject();

    const archived = await call('PUT', `/api/projects/${project.id}/archive`);
    const unarchived = await call('PUT', `/api/projects/${project.id}/unarchive`);

    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({
      archived: true,
      archivedAt: expect.stringMatching(/Z$/),
    });
    expect(unarchived.body).toMatchObject({ archived: false, archivedAt: null });
  });

  test('an archived project refuses renames, new tasks and task changes', async () => {
    const project = await createProject();
    await addTasks(project.id, 1);
    await call('PUT', `/api/projects/${project.id}/tasks/1/complete`);
    await call('PUT', `/api/projects/${project.id}/archive`);

    const attempts = [
      await call('PUT', `/api/projects/${project.id}`, { name: 'Renamed' }),
      await call('POST', `/api/projects/${project.id}/tasks`, { name: 'New task' }),
      await call('PUT', `/api/projects/${project.id}/tasks/1/incomplete`),
      await call('PUT', `/api/projects/${project.id}/tasks/1/complete`),
    ];

    for (const response of attempts) {
      expectProblem(response, 409);
      expect(response.body.code).toBe('project-archived');
    }
  });

  test('DELETE refuses a project that is not archived', async () => {
    const project = await createProject();

    expectProblem(await call('DELETE', `/api/projects/${project.id}`), 409);
    expect((await call('GET', `/api/projects/${project.id}`)).status).toBe(200);
  });

  test('after DELETE (204) every route of the project answers 404', async () => {
    const project = await createProject();
    await addTasks(project.id, 1);
    await call('PUT', `/api/projects/${project.id}/tasks/1/complete`);
    await call('PUT', `/api/projects/${project.id}/archive`);

    const deleted = await call('DELETE', `/api/projects/${project.id}`);

    expect(deleted.status).toBe(204);
    const base = `/api/projects/${project.id}`;
    for (const [method, path, body] of [
      ['GET', base],
      ['PUT', base, { name: 'Revived' }],
      ['PUT', `${base}/archive`],
      ['PUT', `${base}/unarchive`],
      ['DELETE', base],
      ['GET', `${base}/tasks`],
      ['POST', `${base}/tasks`, { name: 'New task' }],
      ['GET', `${base}/tasks/1`],
      ['PUT', `${base}/tasks/1/complete`],
      ['PUT', `${base}/tasks/1/incomplete`],
    ] as const) {
      expectProblem(await call(method, path, body), 404);
    }
  });
});

describe('the number of incomplete tasks a project carries', () => {
  /** The count as `GET /api/projects/{id}` and the list's item for that project say it. */
  async function counted(projectId: number) {
    const one = await call('GET', `/api/projects/${projectId}`);
    const page = await call('GET', '/api/projects?limit=200');
    const item = page.body.projects.find((p: { id: number }) => p.id === projectId);
    return { one: one.body.numberOfIncompleteTasks, listed: item.numberOfIncompleteTasks };
  }

  test('the starter project counts its two open tasks', async () => {
    const user = await api.signUp();
    const [starter] = (await api.request('GET', '/api/projects', { token: user.token })).body
      .projects;

    expect(starter).toMatchObject({ name: 'My first project', numberOfIncompleteTasks: 2 });
  });

  test('follows adding, completing and reopening tasks, in the list and the project', async () => {
    const created = await call('POST', '/api/projects', {
      name: 'Counted',
      maximumNumberOfIncompleteTasks: 3,
    });
    const id = created.body.id;
    expect(created.body.numberOfIncompleteTasks).toBe(0);

    await addTasks(id, 3);
    expect(await counted(id)).toEqual({ one: 3, listed: 3 });

    await call('PUT', `/api/projects/${id}/tasks/1/complete`);
    await call('PUT', `/api/projects/${id}/tasks/1/complete`);
    expect(await counted(id)).toEqual({ one: 2, listed: 2 });

    await call('PUT', `/api/projects/${id}/tasks/1/incomplete`);
    await call('PUT', `/api/projects/${id}/tasks/2/incomplete`);
    expect(await counted(id)).toEqual({ one: 3, listed: 3 });
    const refused = await call('POST', `/api/projects/${id}/tasks`, { name: 'One too many' });
    expectProblem(refused, 409);
    expect(await counted(id)).toEqual({ one: 3, listed: 3 });
  });

  test('every command that answers with the project carries the count', async () => {
    const project = await createProject();
    await addTasks(project.id, 2);
    await call('PUT', `/api/projects/${project.id}/tasks/1/complete`);

    const updated = await call('PUT', `/api/projects/${project.id}`, { name: 'Renamed' });
    await call('PUT', `/api/projects/${project.id}/tasks/2/complete`);
    const archived = await call('PUT', `/api/projects/${project.id}/archive`);
    const unarchived = await call('PUT', `/api/projects/${project.id}/unarchive`);

    expect(updated.body.numberOfIncompleteTasks).toBe(1);
    expect(archived.body.numberOfIncompleteTasks).toBe(0);
    expect(unarchived.body.numberOfIncompleteTasks).toBe(0);
  });

  test('a copy held with its ETag is stale once a task changes the count', async () => {
    const project = await createProject();
    await addTasks(project.id, 1);
    const before = await call('GET', `/api/projects/${project.id}`);

    await call('PUT', `/api/projects/${project.id}/tasks/1/complete`);
    const after = await api.request('GET', `/api/projects/${project.id}`, {
      token,
      headers: { 'if-none-match': before.headers.get('etag') as string },
    });

    expect(before.body.numberOfIncompleteTasks).toBe(1);
    expect(after.status).toBe(200);
    expect(after.body.numberOfIncompleteTasks).toBe(0);
  });
});

describe('tasks', () => {
  let projectId: number;
  beforeEach(async () => {
    projectId = (await createProject()).id;
  });

  test('POST adds a task: 201, Location, numbers count from 1', async () => {
    const first = await call('POST', `/api/projects/${projectId}/tasks`, { name: ' First task ' });
    const second = await call('POST', `/api/projects/${projectId}/tasks`, { name: 'Second task' });

    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/api/projects/${projectId}/tasks/1`);
    expect(first.body).toEqual({ number: 1, name: 'First task', completedAt: null });
    expect(second.body.number).toBe(2);
  });

  test('POST rejects names outside 4..32 characters after trimming', async () => {
    for (const name of ['abc', '  ab  ', 'y'.repeat(33), '']) {
      expectProblem(await call('POST', `/api/projects/${projectId}/tasks`, { name }), 422);
    }
  });

  test('POST refuses a task beyond the maximum number of incomplete tasks', async () => {
    const limited = await createProject({ name: 'Limited', maximumNumberOfIncompleteTasks: 2 });
    await addTasks(limited.id, 2);

    const response = await call('POST', `/api/projects/${limited.id}/tasks`, { name: 'One more' });

    expectProblem(response, 409);
    expect(response.body.code).toBe('maximum-incomplete-tasks-reached');
  });

  test('GET lists tasks by number; GET one task', async () => {
    await addTasks(projectId, 3);

    const list = await call('GET', `/api/projects/${projectId}/tasks`);
    const one = await call('GET', `/api/projects/${projectId}/tasks/2`);

    expect(list.body.tasks.map((t: { number: number }) => t.number)).toEqual([1, 2, 3]);
    expect(one.body).toEqual({ number: 2, name: 'Task 2', completedAt: null });
  });

  test('lists come as compact JSON from either database', async () => {
    await addTasks(projectId, 2);
    await call('PUT', `/api/projects/${projectId}/tasks/1/complete`);

    for (const path of [`/api/projects/${projectId}/tasks`, '/api/users/me']) {
      const response = await fetch(new URL(path, api.baseUrl), {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await response.text();
      expect(text).toBe(JSON.stringify(JSON.parse(text)));
    }
  });

  test('GET of a project without tasks is an empty list; of a missing task a 404', async () => {
    expect((await call('GET', `/api/projects/${projectId}/tasks`)).body).toEqual({
      tasks: [],
      nextCursor: null,
    });
    expectProblem(await call('GET', `/api/projects/${projectId}/tasks/1`), 404);
    expectProblem(await call('PUT', `/api/projects/${projectId}/tasks/1/complete`), 404);
  });

  test('complete is idempotent: completing twice keeps the first completedAt', async () => {
    const clock = new FixedClock('2026-03-01T10:00:00.000Z');
    const timed = await TestApi.start({}, { clock });
    try {
      const user = await timed.signUp();
      const as = (method: string, path: string, json?: unknown) =>
        timed.request(method, path, { token: user.token, json });
      const { id } = (await as('POST', '/api/projects', { name: 'Timed project' })).body;
      await as('POST', `/api/projects/${id}/tasks`, { name: 'Timed task' });

      const first = await as('PUT', `/api/projects/${id}/tasks/1/complete`);
      clock.advanceBy(60_000);
      const second = await as('PUT', `/api/projects/${id}/tasks/1/complete`);

      expect(first.status).toBe(200);
      expect(first.body.completedAt).toBe('2026-03-01T10:00:00.000Z');
      expect(second.body.completedAt).toBe('2026-03-01T10:00:00.000Z');
    } finally {
      await timed.close();
    }
  });

  test('incomplete reopens a task', async () => {
    await addTasks(projectId, 1);
    await call('PUT', `/api/projects/${projectId}/tasks/1/complete`);

    const response = await call('PUT', `/api/projects/${projectId}/tasks/1/incomplete`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ number: 1, name: 'Task 1', completedAt: null });
  });

  test('incomplete refuses to reopen beyond the limit', async () => {
    const limited = await createProject({ name: 'Limited', maximumNumberOfIncompleteTasks: 1 });
    await addTasks(limited.id, 1);
    await call('PUT', `/api/projects/${limited.id}/tasks/1/complete`);
    await addTasks(limited.id, 1);

    const response = await call('PUT', `/api/projects/${limited.id}/tasks/1/incomplete`);

    expectProblem(response, 409);
  });

  test('numbers are never reused, also after completing tasks', async () => {
    await addTasks(projectId, 2);
    await call('PUT', `/api/projects/${projectId}/tasks/2/complete`);

    const next = await call('POST', `/api/projects/${projectId}/tasks`, { name: 'Third task' });

    expect(next.body.number).toBe(3);
  });

  test('20 simultaneous task creations on one project get the numbers 1..20', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', `/api/projects/${projectId}/tasks`, { name: `Parallel ${i}` }),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = responses.map((r) => r.body.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const stored = await call('GET', `/api/projects/${projectId}/tasks`);
    expect(stored.body.tasks).toHaveLength(20);
  });

  test('simultaneous creations beyond the limit: exactly the limit succeed, the refused leave nothing', async () => {
    const limited = await createProject({ name: 'Limited', maximumNumberOfIncompleteTasks: 5 });

    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call('POST', `/api/projects/${limited.id}/tasks`, { name: `Parallel ${i}` }),
      ),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(201), ...Array(7).fill(409)]);
    const stored = await call('GET', `/api/projects/${limited.id}/tasks`);
    expect(stored.body.tasks.map((task: { number: number }) => task.number)).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  test.each(['abc', '0', '-1', '1.5', '99999999999999999999', '1e400'])(
    'a path parameter %s is a 4xx, never a 500',
    async (bad) => {
      for (const path of [
        `/api/projects/${bad}`,
        `/api/projects/${bad}/tasks`,
        `/api/projects/${projectId}/tasks/${bad}`,
        `/api/projects/${projectId}/tasks/${bad}/complete`,
      ]) {
        const response = await call('GET', path);
        expect([404, 422], `${path}: ${response.status}`).toContain(response.status);
      }
    },
  );
});
