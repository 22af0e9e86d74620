import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiResponse, TestApi } from '../support/api.ts';

// Many clients acting on one project at once must leave it exactly as some one-at-a-time
// order of their commands would: the stored counters equal the rows, task numbers have no
// gap, the limit and the archive rule hold, and a completed task keeps its completion time
// until it is reopened. On PostgreSQL this needs each command to decide on fresh state.

let api: TestApi;

beforeAll(async () => {
  api = await TestApi.start();
});

afterAll(async () => {
  await api?.close();
});

interface Stored {
  incompleteTaskCount: number;
  lastTaskNumber: number;
  limit: number | null;
  archived: boolean;
  tasks: { number: number; completedAt: string | null }[];
}

/** The project's own row and its task rows, as stored. */
async function stored(projectId: number): Promise<Stored> {
  const db = api.app.database.kysely;
  const project = await sql<{
    incomplete_task_count: number;
    last_task_number: number;
    maximum_number_of_incomplete_tasks: number | null;
    archived_at: unknown;
  }>`select incomplete_task_count, last_task_number, maximum_number_of_incomplete_tasks, archived_at
     from ${sql.table('projects.projects')} where id = ${projectId}`.execute(db);
  const tasks = await sql<{ number: number; completed_at: Date | string | null }>`
    select number, completed_at from ${sql.table('projects.tasks')}
    where project_id = ${projectId} order by number`.execute(db);
  const row = project.rows[0];
  if (!row) throw new Error(`project ${projectId} is not stored`);
  return {
    incompleteTaskCount: Number(row.incomplete_task_count),
    lastTaskNumber: Number(row.last_task_number),
    limit: row.maximum_number_of_incomplete_tasks,
    archived: row.archived_at !== null,
    tasks: tasks.rows.map((task) => ({
      number: Number(task.number),
      completedAt:
        task.completed_at === null ? null : new Date(task.completed_at as string).toISOString(),
    })),
  };
}

/** Every invariant the projects context promises, checked against the rows. */
function expectConsistent(project: Stored): void {
  const open = project.tasks.filter((task) => task.completedAt === null).length;
  expect(project.incompleteTaskCount, 'the open-task counter equals the open rows').toBe(open);
  expect(
    project.tasks.map((task) => task.number),
    'task numbers are 1..n',
  ).toEqual(Array.from({ length: project.tasks.length }, (_, i) => i + 1));
  expect(project.lastTaskNumber, 'the last number is the number of tasks').toBe(
    project.tasks.length,
  );
  if (project.limit !== null) {
    expect(open, 'the limit of open tasks holds').toBeLessThanOrEqual(project.limit);
  }
  if (project.archived) expect(open, 'an archived project has no open task').toBe(0);
}

async function newProject(token: string, name = 'Contended') {
  const created = await api.request('POST', '/api/projects', { token, json: { name } });
  expect(created.status).toBe(201);
  return created.body.id as number;
}

describe('concurrent commands on one project', () => {
  test('parallel completions of one task agree, and the counters stay true (the reported case)', async () => {
    const { token } = await api.signUp();
    const id = await newProject(token);
    const task = `/api/projects/${id}/tasks/1`;
    expect(
      (await api.request('POST', `/api/projects/${id}/tasks`, { token, json: { name: 'Only' } }))
        .status,
    ).toBe(201);

    for (let round = 0; round < 5; round++) {
      const completions = await Promise.all(
        Array.from({ length: 10 }, () => api.request('PUT', `${task}/complete`, { token })),
      );
      expect(completions.map((response) => response.status)).toEqual(Array(10).fill(200));
      const times = new Set(completions.map((response) => response.body.completedAt));
      expect(times.size, 'a completed task is never completed again').toBe(1);
      expect((await api.request('PUT', `${task}/incomplete`, { token })).status).toBe(200);
    }

    expectConsistent(await stored(id));
    expect((await stored(id)).incompleteTaskCount).toBe(1);

    const limited = await api.request('PUT', `/api/projects/${id}`, {
      token,
      json: { maximumNumberOfIncompleteTasks: 1 },
    });
    expect(limited.status).toBe(200);
    const added = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.request('POST', `/api/projects/${id}/tasks`, { token, json: { name: `More ${i}` } }),
      ),
    );
    expect(added.map((response) => response.status)).toEqual(Array(10).fill(409));
    expect((await api.request('PUT', `/api/projects/${id}/archive`, { token })).status).toBe(409);
    expectConsistent(await stored(id));
  });

  type Op =
    | { kind: 'add' }
    | { kind: 'complete' | 'incomplete'; task: number }
    | { kind: 'limit'; limit: number | null }
    | { kind: 'archive' | 'unarchive' };

  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 3, arbitrary: fc.constant<Op>({ kind: 'add' }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('complete' as const),
        task: fc.integer({ min: 1, max: 4 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('incomplete' as const),
        task: fc.integer({ min: 1, max: 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('limit' as const),
        limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
      }),
    },
    { weight: 1, arbitrary: fc.constant<Op>({ kind: 'archive' }) },
    { weight: 1, arbitrary: fc.constant<Op>({ kind: 'unarchive' }) },
  );

  function send(token: string, id: number, action: Op): Promise<ApiResponse> {
    const project = `/api/projects/${id}`;
    switch (action.kind) {
      case 'add':
        return api.request('POST', `${project}/tasks`, { token, json: { name: 'Task' } });
      case 'complete':
      case 'incomplete':
        return api.request('PUT', `${project}/tasks/${action.task}/${action.kind}`, { token });
      case 'limit':
        return api.request('PUT', project, {
          token,
          json: { maximumNumberOfIncompleteTasks: action.limit },
        });
      case 'archive':
      case 'unarchive':
        return api.request('PUT', `${project}/${action.kind}`, { token });
    }
  }

  test('random interleavings of every command keep every invariant', async () => {
    const { token } = await api.signUp();
    // Each run: one fresh project, then rounds of commands sent all at once by parallel
    // clients; between rounds (when nothing is in flight) the rows must be consistent.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 4, maxLength: 16 }), { minLength: 2, maxLength: 5 }),
        async (rounds) => {
          const id = await newProject(token);
          let before = await stored(id);
          for (const round of rounds) {
            const responses = await Promise.all(round.map((action) => send(token, id, action)));
            for (const response of responses) {
              expect([200, 201, 404, 409], JSON.stringify(response.body)).toContain(
                response.status,
              );
            }
            const after = await stored(id);
            expectConsistent(after);
            expectCompletionTimesKept(round, responses, before, after);
            before = after;
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});

/**
 * A task's completion time changes only through a reopen: in a round where no reopen of a
 * task succeeded, every successful completion of it answers one time, and a task completed
 * before the round keeps its time.
 */
function expectCompletionTimesKept(
  round: { kind: string; task?: number }[],
  responses: ApiResponse[],
  before: Stored,
  after: Stored,
): void {
  const reopened = new Set(
    round.flatMap((action, i) =>
      action.kind === 'incomplete' && responses[i]?.status === 200 ? [action.task] : [],
    ),
  );
  for (const task of after.tasks) {
    if (reopened.has(task.number)) continue;
    const answered = new Set(
      round.flatMap((action, i) =>
        action.kind === 'complete' && action.task === task.number && responses[i]?.status === 200
          ? [responses[i]?.body.completedAt as string]
          : [],
      ),
    );
    expect(answered.size, `task ${task.number} was completed at one time`).toBeLessThanOrEqual(1);
    // The time a completion answered is the time stored.
    for (const time of answered) expect(task.completedAt).toBe(time);
    const earlier = before.tasks.find((t) => t.number === task.number)?.completedAt ?? null;
    if (earlier !== null) {
      expect(task.completedAt, `task ${task.number} kept its completion time`).toBe(earlier);
      for (const time of answered) expect(time).toBe(earlier);
    }
  }
}
