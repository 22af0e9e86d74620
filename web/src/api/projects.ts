import type { Api } from './client';
import { unwrap } from './problems';
import type { components } from './schema';

export type Project = components['schemas']['Project'];
export type Task = components['schemas']['Task'];

/** The fields of a project form that a domain refusal is about (see placeProblem). */
export const PROJECT_FIELD_OF_CODE = {
  'invalid-name': 'name',
  'invalid-task-limit': 'maximumNumberOfIncompleteTasks',
  'task-limit-below-incomplete-tasks': 'maximumNumberOfIncompleteTasks',
};

/** The limit of open tasks as a form holds it: empty for none. */
export function limitFromInput(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

export function limitToInput(limit: number | null): string {
  return limit === null ? '' : String(limit);
}

/**
 * How many of a project's tasks are open, for showing the limit before a person meets it.
 * The project resource does not carry the number, so this reads the first page of open tasks
 * (as many as a page holds: 200); `atLeast` says the count is only a lower bound.
 */
export async function countOpenTasks(
  api: Api,
  projectId: number,
): Promise<{ count: number; atLeast: boolean }> {
  const page = unwrap(
    await api.GET('/api/projects/{projectId}/tasks', {
      params: { path: { projectId }, query: { status: 'open', limit: 200 } },
    }),
  );
  return { count: page.tasks.length, atLeast: page.nextCursor !== null };
}
