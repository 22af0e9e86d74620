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
