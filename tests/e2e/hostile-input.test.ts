import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApiResponse, TestApi } from '../support/api.ts';

// Fuzz-style: every route gets malformed and hostile input. Nothing a client sends may
// produce a 500, leak internals, or leave a partial write behind.

let api: TestApi;
let owner: Awaited<ReturnType<TestApi['signUp']>>;
let project: number;

beforeAll(async () => {
  api = await TestApi.start();
  owner = await api.signUp();
  project = await api.createProject(
    owner.token,
    { name: 'Fortress', maximumNumberOfIncompleteTasks: 5 },
    ['Guarded task'],
  );
});
afterAll(() => api.close());

const deeplyNested = (depth: number): unknown =>
  depth === 0 ? 'x' : { a: deeplyNested(depth - 1) };

const bodies: { rawBody: string; contentType?: string }[] = [
  ...[
    '',
    '{',
    '{"name": }',
    'null',
    '[]',
    '[{"name": "Array item"}]',
    '42',
    '"just a string"',
    'true',
    '{"name": null}',
    '{"name": 1234}',
    '{"name": ["a", "b"]}',
    '{"name": {"$gt": ""}}',
    '{"name": "\'; drop table projects_projects; --"}',
    '{"name": "Robert\\u0000Tables"}',
    '{"name": "🎉🎉🎉🎉🎉🎉"}', // a valid name: see ACCEPTABLE
    '{"name": "ok name", "maximumNumberOfIncompleteTasks": -1}',
    '{"name": "ok name", "maximumNumberOfIncompleteTasks": 1e309}',
    '{"name": "ok name", "maximumNumberOfIncompleteTasks": 99999999999999999999}',
    '{"__proto__": {"admin": true}, "name": "Prototype"}',
    '{"constructor": {"prototype": {"admin": true}}}',
    '{"email": "x@example.com", "password": {"toString": 1}}',
    '{"grant_type": "client_credentials", "username": "a", "password": "b"}',
    `{"name": "${'n'.repeat(10_000)}"}`,
    JSON.stringify(deeplyNested(2_000)),
  ].map((rawBody) => ({ rawBody })),
  { rawBody: 'name=Form', contentType: 'application/x-www-form-urlencoded' },
  { rawBody: '<xml/>', contentType: 'application/xml' },
  { rawBody: '{"name": "Latin one"}', contentType: 'application/json; charset=latin1' },
  { rawBody: 'x'.repeat(70 * 1024), contentType: 'application/json' },
  { rawBody: '\u00ff\u00fe{"name":"bom"}', contentType: 'application/json' },
];

/** Bodies that are fine for some routes: the owner does not send them (they would succeed). */
const ACCEPTABLE = ['🎉', 'ok name', 'Latin one', 'Form', 'Array item'];

const routes = (id: string, task: string): [string, string][] => [
  ['POST', '/api/users'],
  ['POST', '/api/users/login'],
  ['GET', '/api/users/me'],
  ['PUT', '/api/users/me'],
  ['GET', '/api/projects'],
  ['POST', '/api/projects'],
  ['GET', `/api/projects/${id}`],
  ['PUT', `/api/projects/${id}`],
  ['PUT', `/api/projects/${id}/archive`],
  ['PUT', `/api/projects/${id}/unarchive`],
  ['DELETE', `/api/projects/${id}`],
  ['GET', `/api/projects/${id}/tasks`],
  ['POST', `/api/projects/${id}/tasks`],
  ['GET', `/api/projects/${id}/tasks/${task}`],
  ['PUT', `/api/projects/${id}/tasks/${task}/complete`],
  ['PUT', `/api/projects/${id}/tasks/${task}/incomplete`],
];

function expectSafe(response: ApiResponse, what: string): void {
  expect(response.status, what).toBeGreaterThanOrEqual(200);
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
  }
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  expect(text, what).not.toMatch(
    /\n\s+at |node_modules|sqlite|SELECT |INSERT |UPDATE |syntax error/i,
  );
}

async function stateOfOwner() {
  const [me, projects, tasks] = await Promise.all([
    api.request('GET', '/api/users/me', { token: owner.token }),
    api.request('GET', '/api/projects', { token: owner.token }),
    api.request('GET', `/api/projects/${project}/tasks`, { token: owner.token }),
  ]);
  return { me: me.body, projects: projects.body, tasks: tasks.body };
}

test('malformed and hostile bodies on every route get 4xx problem documents', async () => {
  const before = await stateOfOwner();
  // The owner may legitimately change their own project with a valid body; send hostile
  // bodies as a different user so that the owner's data must come out unchanged.
  const intruder = await api.signUp();

  for (const [method, path] of routes(String(project), '1')) {
    for (const body of bodies) {
      for (const token of [intruder.token, owner.token]) {
        const acceptable = ACCEPTABLE.some((text) => body.rawBody.includes(text));
        if (token === owner.token && acceptable) continue;
        // fetch sends no body with GET; a GET route still gets the headers.
        const response = await api.request(method, path, {
          token,
          ...(method !== 'GET' && { rawBody: body.rawBody }),
          headers: { 'content-type': body.contentType ?? 'application/json' },
        });
        expectSafe(response, `${method} ${path} ${body.rawBody.slice(0, 40)}`);
      }
    }
  }

  const after = await stateOfOwner();
  expect(after.tasks).toEqual(before.tasks);
  expect(after.projects.projects.filter((p: { id: number }) => p.id === project)).toEqual(
    before.projects.projects.filter((p: { id: number }) => p.id === project),
  );
});

test('hostile path parameters and headers get 4xx problem documents', async () => {
  const ids = [
    'abc',
    '0',
    '-5',
    '1.5',
    '1e3',
    '0x10',
    '9'.repeat(30),
    '%00',
    '..%2F..',
    "1' or '1'='1",
    ' ',
  ];
  for (const id of ids) {
    for (const [method, path] of routes(id, id)) {
      const response = await api.request(method, path, {
        token: owner.token,
        ...(method !== 'GET' && { json: {} }),
      });
      expectSafe(response, `${method} ${path}`);
    }
  }

  for (const authorization of [
    'Bearer',
    'Bearer ',
    `Bearer ${'a'.repeat(10_000)}`,
    'Bearer a.b.c',
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    'Basic dXNlcjpwYXNz',
    'bearer\ttoken',
  ]) {
    const response = await api.request('GET', `/api/projects/${project}`, {
      headers: { authorization },
    });
    expectSafe(response, authorization.slice(0, 30));
    expect(response.status).toBe(401);
  }
});
