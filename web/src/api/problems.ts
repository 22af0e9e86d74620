import type { components } from './schema';

export type Problem = components['schemas']['ValidationProblem'];

/** An API answer that was not a success, carried as an exception to the screen that asked. */
export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.problem = problem;
  }
}

/** The service's answer could not be had at all (offline, refused, no problem document). */
export const unreachable: Problem = {
  type: 'about:blank',
  title: 'Service unreachable',
  status: 0,
  code: 'unreachable',
  detail: 'The service could not be reached. Check the connection and try again.',
};

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).detail === 'string' &&
    typeof (value as Problem).code === 'string'
  );
}

/** The problem a failed call raised, whatever form it took. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  return unreachable;
}

/**
 * The data of an openapi-fetch result, or a ProblemError with the API's problem document
 * (every error the API answers is one: docs/problems.md).
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ProblemError(isProblem(result.error) ? result.error : unreachable);
}

/** A problem placed on the form that caused it: per field when it names one, else the form's. */
export interface PlacedProblem {
  fields: Record<string, string>;
  form?: string;
}

/**
 * Where on a form each problem belongs. A 422 `validation-failed` names its fields
 * (`errors[].path`); a domain refusal names none, so each form says which of its fields a
 * code is about (`invalid-name` → `name`, `email-already-taken` → `email`, ...). The words
 * are the API's own: the entry's message, or the problem's `detail`.
 */
export function placeProblem(
  problem: Problem,
  fieldOfCode: Record<string, string> = {},
): PlacedProblem {
  const fields: Record<string, string> = {};
  for (const { path, message } of problem.errors ?? []) fields[path] ??= message;
  const field = fieldOfCode[problem.code];
  if (field !== undefined && fields[field] === undefined) fields[field] = problem.detail;
  const placed = Object.keys(fields).length > 0;
  return placed ? { fields } : { fields, form: problem.detail };
}
