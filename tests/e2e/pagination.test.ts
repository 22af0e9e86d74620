import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiResponse, expectProblem, TestApi } from '../support/api.ts';

let api: TestApi;
let token: string;

beforeAll(async () => {
  api = await TestApi.start();
  ({ token } = await api.signUp());
});
afterAll(() => api.close());

const call = (method: string, path: string, json?: unknown) =>
  api.request(method, path, { token, ...(json !== undefined && { json }) });

async function createProject(name = 'Paged project'): Promise<number> {
  const response = await call('POST', '/api/projects', { name });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function addTasks(projectId: number, count: number, parallel = 1): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await call('POST', `/api/projects/${projectId}/tasks`, { name: 'A task' });
      expect(response.status).toBe(201);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The `rel="next"` target of a `Link` header, or null without one. */
function nextLink(response: ApiResponse): string | null {
  const link = response.headers.get('link');
  if (link === null) return null;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  expect(match).not.toBeNull();
  return match?.[1] ?? null;
}

describe('paging through tasks', () => {
  test('300 tasks by 20: each task exactly once, in order, while tasks are added', async () => {
    const projectId = await createProject();
    await addTasks(projectId, 300, 2);

    // Another client adds tasks while this one pages.
    const adding = addTasks(projectId, 30);
    const seen: number[] = [];
    let path: string | null = `/api/projects/${projectId}/tasks?limit=20`;
    while (path !== null) {
      const response = await call('GET', path);
      expect(response.status).toBe(200);
      expect(response.body.tasks.length).toBeLessThanOrEqual(20);
      seen.push(...response.body.tasks.map((t: { number: number }) => t.number));
      const link = nextLink(response);
      expect(link === null).toBe(response.body.nextCursor === null);
      if (link !== null) {
        expect(new URL(link, api.baseUrl).searchParams.get('cursor')).toBe(
          response.body.nextCursor,
        );
      }
      path = link;
    }
    await adding;

    // The first 300 exactly once, in order; those added while paging after them, each once.
    expect(seen.slice(0, 300)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.length).toBeLessThanOrEqual(330);
  });

  test('50 a page by default; the last page has nextCursor null and no Link', async () => {
    const projectId = await createProject();
    await addTasks(projectId, 51);

    const first = await call('GET', `/api/projects/${projectId}/tasks`);
    const last = await call(
      'GET',
      `/api/projects/${projectId}/tasks?cursor=${first.body.nextCursor}`,
    );

    expect(first.body.tasks).toHaveLength(50);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(last.body).toEqual({
      tasks: [{ number: 51, name: 'A task', completedAt: null }],
      nextCursor: null,
    });
    expect(last.headers.get('link')).toBeNull();
  });

  test('status=open and status=completed filter, and page within the filter', async () => {
    const projectId = await createProject();
    await addTasks(projectId, 6);
    for (const number of [2, 3, 5]) {
      expect(
        (await call('PUT', `/api/projects/${projectId}/tasks/${number}/complete`)).status,
      ).toBe(200);
    }
    const numbers = (response: ApiResponse) =>
      response.body.tasks.map((t: { number: number }) => t.number);

    const open = await call('GET', `/api/projects/${projectId}/tasks?status=open&limit=2`);
    const openRest = await call('GET', nextLink(open) as string);
    const completed = await call('GET', `/api/projects/${projectId}/tasks?status=completed`);

    expect(numbers(open)).toEqual([1, 4]);
    expect(nextLink(open)).toContain('status=open');
    expect(numbers(openRest)).toEqual([6]);
    expect(openRest.body.nextCursor).toBeNull();
    expect(numbers(completed)).toEqual([2, 3, 5]);
    expect(
      completed.body.tasks.every((t: { completedAt: string | null }) => t.completedAt !== null),
    ).toBe(true);
  });

  test('limit is a whole number from 1 to 200, status open or completed: else 422', async () => {
    const projectId = await createProject();
    await addTasks(projectId, 1);
    const tasks = `/api/projects/${projectId}/tasks`;

    expect((await call('GET', `${tasks}?limit=200`)).status).toBe(200);
    expect((await call('GET', `${tasks}?limit=1`)).status).toBe(200);
    for (const query of [
      'limit=0',
      'limit=201',
      'limit=1.5',
      'limit=ten',
      'limit=0x10',
      'limit=1e1',
      'limit=+5',
      'limit=05',
      'status=done',
    ]) {
      expectProblem(await call('GET', `${tasks}?${query}`), 422);
    }
    expectProblem(await call('GET', '/api/projects?limit=0'), 422);
    const twice = await call('GET', `${tasks}?limit=5&limit=6`);
    expectProblem(twice, 422);
    expect(twice.body.errors).toEqual([
      { path: 'querystring.limit', message: 'must be given once' },
    ]);
  });
});

describe('cursors', () => {
  test('a forged, foreign or stale cursor is a 422 problem, never a 500', async () => {
    const projectId = await createProject();
    const otherId = await createProject('Other project');
    await addTasks(projectId, 3);
    await addTasks(otherId, 3);
    const page = await call('GET', `/api/projects/${projectId}/tasks?limit=1`);
    const cursor = page.body.nextCursor as string;
    const projectsCursor = (await call('GET', '/api/projects?limit=1')).body.nextCursor as string;
    const b64 = (text: string) => Buffer.from(text).toString('base64url');

    const refused = [
      'not a cursor!',
      '%00',
      'x'.repeat(300),
      b64('{"after":1}'),
      b64('c1|tasks:1:all|-1'),
      b64('c1|tasks:1:all|99999999999999'),
      b64('c9|tasks:1:all|1'),
      `${cursor}A`,
    ];
    for (const forged of refused) {
      const response = await call(
        'GET',
        `/api/projects/${projectId}/tasks?cursor=${encodeURIComponent(forged)}`,
      );
      expectProblem(response, 422);
    }
    // Another project's, another filter's, another list's cursor.
    expectProblem(await call('GET', `/api/projects/${otherId}/tasks?cursor=${cursor}`), 422);
    expectProblem(
      await call('GET', `/api/projects/${projectId}/tasks?status=open&cursor=${cursor}`),
      422,
    );
    expectProblem(
      await call('GET', `/api/projects/${projectId}/tasks?cursor=${projectsCursor}`),
      422,
    );
    expectProblem(await call('GET', `/api/projects?cursor=${cursor}`), 422);
    const refusal = await call('GET', `/api/projects?cursor=${cursor}`);
    expect(refusal.body.code).toBe('invalid-cursor');
    // The real one still works.
    expect((await call('GET', `/api/projects/${projectId}/tasks?cursor=${cursor}`)).status).toBe(
      200,
    );
  });
});

describe('paging through projects', () => {
  test('each project once, oldest first, with Link and nextCursor', async () => {
    const user = await api.signUp();
    for (let i = 0; i < 4; i++) {
      const created = await api.request('POST', '/api/projects', {
        token: user.token,
        json: { name: `Project ${i}` },
      });
      expect(created.status).toBe(201);
    }

    const ids: number[] = [];
    let path: string | null = '/api/projects?limit=2';
    while (path !== null) {
      const response = await api.request('GET', path, { token: user.token });
      expect(response.status).toBe(200);
      ids.push(...response.body.projects.map((p: { id: number }) => p.id));
      path = nextLink(response);
    }

    // The starter project and the four created.
    expect(ids).toHaveLength(5);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  test('GET /users/me lists the first 50 projects; the rest are on the paged route', async () => {
    const user = await api.signUp();
    for (let i = 0; i < 51; i++) {
      const created = await api.request('POST', '/api/projects', {
        token: user.token,
        json: { name: `Project ${i}` },
      });
      expect(created.status).toBe(201);
    }

    const me = await api.request('GET', '/api/users/me', { token: user.token });
    const all = await api.request('GET', '/api/projects?limit=200', { token: user.token });

    expect(all.body.projects).toHaveLength(52);
    expect(me.body.projects).toEqual(
      all.body.projects.slice(0, 50).map((p: { id: number; name: string }) => ({
        id: p.id,
        name: p.name,
      })),
    );
  });
});
