import { ProblemError } from './problems';
import type { components } from './schema';

export type Project = components['schemas']['Project'];
export type Task = components['schemas']['Task'];

/** The fields of a project form that a domain refusal is about (see placeProblem). */
export const PROJECT_FIELD_OF_CODE = {
  'invalid-name': 'name',
  'invalid-task-limit': 'maximumNumberOfIncompleteTasks',
  'task-limit-below-incomplete-tasks': 'maximumNumberOfIncompleteTasks',
};

/**
 * The limit of open tasks as a form holds it: empty for none. Anything else that is not a
 * whole number from 1 (`0`, `5e`, `1-2`, `2.5`) is refused here, on its field, before it is sent: the
 * API would refuse it too, but `Number` would make some of it a number and the rest `NaN`,
 * which JSON sends as null, "no limit".
 */
export function limitFromInput(value: string): number | null {
  const typed = value.trim();
  if (typed === '') return null;
  if (/^\d{1,10}$/.test(typed) && Number(typed) > 0) return Number(typed);
  throw new ProblemError({
    type: '/problems#validation-failed',
    title: 'Invalid request',
    status: 422,
    code: 'validation-failed',
    detail: LIMIT_NOT_A_NUMBER,
    errors: [{ path: 'maximumNumberOfIncompleteTasks', message: LIMIT_NOT_A_NUMBER }],
  });
}

const LIMIT_NOT_A_NUMBER = 'Type a whole number from 1 up, or leave it empty for no limit.';

export function limitToInput(limit: number | null): string {
  return limit === null ? '' : String(limit);
}
