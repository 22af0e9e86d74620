import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectProblem, TestApi } from '../support/api.ts';

let api: TestApi;
let token: string;

beforeAll(async () => {
  api = await TestApi.start();
  ({ token } = await api.signUp());
});
afterAll(() => api.close());

const post = (path: string, json: unknown, key?: string, as = token) =>
  api.request('POST', path, {
    token: as,
    json,
    ...(key !== undefined && { headers: { 'idempotency-key': key } }),
  });

async function projectIds(as = token): Promise<number[]> {
  const response = await api.request('GET', '/api/projects?limit=200', { token: as });
  return response.body.projects.map((p: { id: number }) => p.id);
}

async function createProject(): Promise<number> {
  const response = await post('/api/projects', { name: 'Keyed project' });
  expect(response.status).toBe(201);
  return response.body.id;
}

describe('Idempotency-Key on POST', () => {
  test('20 parallel requests with one key create one project', async () => {
    const before = await projectIds();
    const key = randomUUID();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post('/api/projects', { name: 'Exactly once' }, key)),
    );

    const after = await projectIds();
    expect(after).toHaveLength(before.length + 1);
    const createdAnswers = answers.filter((a) => a.status === 201);
    expect(createdAnswers.length).toBeGreaterThanOrEqual(1);
    for (const answer of answers.filter((a) => a.status !== 201)) expectProblem(answer, 409);
    const newId = after.find((id) => !before.includes(id));
    for (const answer of createdAnswers) {
      expect(answer.body.id).toBe(newId);
      expect(answer.headers.get('location')).toBe(`/api/projects/${newId}`);
    }
    // Once the first is done, every repeat gets its answer.
    const repeat = await post('/api/projects', { name: 'Exactly once' }, key);
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(createdAnswers[0]?.body);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
  });

  test('20 parallel requests with one key add one task', async () => {
    const id = await createProject();
    const key = randomUUID();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(`/api/projects/${id}/tasks`, { name: 'Once' }, key)),
    );

    const tasks = await api.request('GET', `/api/projects/${id}/tasks`, { token });
    expect(tasks.body.tasks).toHaveLength(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    for (const answer of answers.filter((a) => a.status === 201)) {
      expect(answer.body).toEqual(tasks.body.tasks[0]);
      expect(answer.headers.get('location')).toBe(`/api/projects/${id}/tasks/1`);
    }
  });

  test('a repeat with the same key and body returns the stored answer and changes nothing', async () => {
    const id = await createProject();
    const key = 'order-42';

    const first = await post(`/api/projects/${id}/tasks`, { name: 'Buy milk' }, key);
    await post(`/api/projects/${id}/tasks`, { name: 'Another task' });
    const repeat = await post(`/api/projects/${id}/tasks`, { name: 'Buy milk' }, key);

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.get('location')).toBe(first.headers.get('location'));
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    const tasks = await api.request('GET', `/api/projects/${id}/tasks`, { token });
    expect(tasks.body.tasks.map((t: { name: string }) => t.name)).toEqual([
      'Buy milk',
      'Another task',
    ]);
  });

  test('the same key with another body or path is a 422, and changes nothing', async () => {
    const id = await createProject();
    const other = await createProject();
    const key = randomUUID();
    expect((await post(`/api/projects/${id}/tasks`, { name: 'First' }, key)).status).toBe(201);

    const otherBody = await post(`/api/projects/${id}/tasks`, { name: 'Second' }, key);
    const otherPath = await post(`/api/projects/${other}/tasks`, { name: 'First' }, key);

    expectProblem(otherBody, 422);
    expect(otherBody.body.code).toBe('idempotency-key-reused');
    expectProblem(otherPath, 422);
    const tasks = await api.request('GET', `/api/projects/${id}/tasks`, { token });
    expect(tasks.body.tasks).toHaveLength(1);
  });

  test('the same request spelled another way is a repeat: path encoding, query, JSON layout', async () => {
    const id = await createProject();
    const key = randomUUID();
    const first = await post(`/api/projects/${id}/tasks`, { name: 'Spelled once' }, key);
    expect(first.status).toBe(201);

    const encodedId = [...String(id)].map((digit) => `%3${digit}`).join('');
    const repeats = [
      await post(`/api/projects/${encodedId}/tasks`, { name: 'Spelled once' }, key),
      await post(`/api/projects/${id}/tasks?ignored=1`, { name: 'Spelled once' }, key),
      await api.request('POST', `/api/projects/${id}/tasks`, {
        token,
        rawBody: '{ "name" :  "Spelled once" }',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
      }),
    ];

    for (const repeat of repeats) {
      expect(repeat.status).toBe(201);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(repeat.body).toEqual(first.body);
    }
    const tasks = await api.request('GET', `/api/projects/${id}/tasks`, { token });
    expect(tasks.body.tasks).toHaveLength(1);
  });

  test('keys are per user: another user’s request with the same key runs on its own', async () => {
    const bob = await api.signUp();
    const key = randomUUID();

    const mine = await post('/api/projects', { name: 'Same key' }, key);
    const bobs = await post('/api/projects', { name: 'Same key' }, key, bob.token);

    expect(mine.status).toBe(201);
    expect(bobs.status).toBe(201);
    expect(bobs.body.id).not.toBe(mine.body.id);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();
  });

  test('a request that fails stores nothing: the key can be used again', async () => {
    const key = randomUUID();
    const refused = await post('/api/projects/999999/tasks', { name: 'Nowhere' }, key);
    expectProblem(refused, 404);

    const id = await createProject();
    const limited = await api.request('PUT', `/api/projects/${id}`, {
      token,
      json: { maximumNumberOfIncompleteTasks: 1 },
    });
    expect(limited.status).toBe(200);
    expect((await post(`/api/projects/${id}/tasks`, { name: 'Task one' })).status).toBe(201);
    const key2 = randomUUID();
    expectProblem(await post(`/api/projects/${id}/tasks`, { name: 'Task two' }, key2), 409);
    expect(
      (await api.request('PUT', `/api/projects/${id}/tasks/1/complete`, { token })).status,
    ).toBe(200);
    expect((await post(`/api/projects/${id}/tasks`, { name: 'Task two' }, key2)).status).toBe(201);
  });

  test('keys are 1 to 100 letters, digits or _ . : -; anything else is a 422', async () => {
    for (const key of ['x'.repeat(101), 'with space', 'ünïcode', 'a/b', '']) {
      const response = await post('/api/projects', { name: 'Bad key' }, key);
      expectProblem(response, 422);
    }
    expect((await post('/api/projects', { name: 'Good key' }, 'x'.repeat(100))).status).toBe(201);
    expect((await post('/api/projects', { name: 'Good key' }, 'A-z_0.9:x')).status).toBe(201);
  });
});
