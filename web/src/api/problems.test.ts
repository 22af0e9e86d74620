import { describe, expect, test } from 'vitest';
import {
  type Problem,
  ProblemError,
  placeProblem,
  problemOf,
  unreachable,
  unwrap,
} from './problems';

const problem = (fields: Partial<Problem>): Problem => ({
  type: '/problems#x',
  title: 'Conflict',
  status: 409,
  code: 'x',
  detail: 'Something said no.',
  ...fields,
});

describe('placing a problem on the form that caused it', () => {
  test('a validation problem puts each message beside the field it names', () => {
    const placed = placeProblem(
      problem({
        status: 422,
        code: 'validation-failed',
        errors: [
          { path: 'name', message: 'must be at least 4 characters' },
          { path: 'maximumNumberOfIncompleteTasks', message: 'must be greater than 0' },
        ],
      }),
    );
    expect(placed).toEqual({
      fields: {
        name: 'must be at least 4 characters',
        maximumNumberOfIncompleteTasks: 'must be greater than 0',
      },
    });
  });

  test('a domain refusal goes beside the field the form says it is about, in the API’s words', () => {
    const refusal = problem({
      code: 'maximum-incomplete-tasks-reached',
      detail: 'The project allows at most 2 incomplete tasks: complete one before adding another.',
    });
    expect(placeProblem(refusal, { 'maximum-incomplete-tasks-reached': 'name' })).toEqual({
      fields: { name: refusal.detail },
    });
  });

  test('a refusal about no field of the form belongs to the whole form', () => {
    const refusal = problem({ code: 'project-archived', detail: 'The project is archived.' });
    expect(placeProblem(refusal, { 'invalid-name': 'name' })).toEqual({
      fields: {},
      form: 'The project is archived.',
    });
  });
});

describe('unwrapping an answer', () => {
  const answer = (status: number, body: unknown) => ({
    ...(status < 400 ? { data: body } : { error: body }),
    response: new Response(null, { status: status === 204 ? 204 : status }),
  });

  test('a success gives its data', () => {
    expect(unwrap(answer(200, { id: 1 }))).toEqual({ id: 1 });
  });

  test('an error throws the API’s problem document', () => {
    const refusal = problem({ detail: 'Project has 2 incomplete tasks' });
    expect(() => unwrap(answer(409, refusal))).toThrow(ProblemError);
    try {
      unwrap(answer(409, refusal));
    } catch (error) {
      expect(problemOf(error)).toEqual(refusal);
    }
  });

  test('an answer that is not a problem document (a proxy’s error page), or none at all, says the service is unreachable', () => {
    expect(() => unwrap(answer(502, '<html>Bad gateway</html>'))).toThrow(unreachable.detail);
    expect(problemOf(new TypeError('Failed to fetch'))).toBe(unreachable);
  });
});
