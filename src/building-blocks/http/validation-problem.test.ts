import { describe, expect, test } from 'vitest';
import { validationProblem } from './validation-problem.ts';

const issue = (instancePath: string, keyword: string, message: string, params = {}) => ({
  instancePath,
  keyword,
  message,
  params,
});

describe('a validation problem', () => {
  test('names each field once, with its first issue, in sentences', () => {
    const { detail, errors } = validationProblem('body', [
      issue('/name', 'too_small', 'must be at least 4 characters'),
      issue('/name', 'invalid_format', 'must not contain control characters'),
      issue(
        '/maximumNumberOfIncompleteTasks',
        'too_small',
        'must be a positive whole number or null',
      ),
    ]);

    expect(errors).toEqual([
      { path: 'name', message: 'must be at least 4 characters' },
      {
        path: 'maximumNumberOfIncompleteTasks',
        message: 'must be a positive whole number or null',
      },
    ]);
    expect(detail).toBe(
      'name must be at least 4 characters. maximumNumberOfIncompleteTasks must be a positive whole number or null.',
    );
  });

  test('rewrites Zod’s default type messages', () => {
    const { errors, detail } = validationProblem('body', [
      issue('/name', 'invalid_type', 'Invalid input: expected string, received undefined', {
        expected: 'string',
      }),
      issue('/limit', 'invalid_type', 'Invalid input: expected number, received string', {
        expected: 'number',
      }),
    ]);

    expect(errors.map((e) => e.message)).toEqual(['is required', 'must be a number']);
    expect(detail).toBe('name is required. limit must be a number.');
  });

  test('names path parameters and the body as a whole', () => {
    expect(
      validationProblem('params', [issue('/projectId', 'custom', 'must be at most 9')]),
    ).toEqual({
      detail: 'Path parameter projectId must be at most 9.',
      errors: [{ path: 'params.projectId', message: 'must be at most 9' }],
    });
    expect(
      validationProblem('body', [
        issue('', 'invalid_type', 'Invalid input: expected object, received null', {
          expected: 'object',
        }),
      ]).detail,
    ).toBe('The body must be an object.');
  });

  test('a value that fits no alternative of a union is told as the one the client most likely meant', () => {
    const credentialsOrRefresh = (alternatives: unknown[][]) =>
      validationProblem('body', [
        issue('/', 'invalid_union', 'Invalid input', { errors: alternatives }),
      ]);
    const missingPassword = {
      code: 'invalid_type',
      expected: 'string',
      path: ['password'],
      message: 'Invalid input: expected string, received undefined',
    };
    const notARefreshGrant = {
      code: 'invalid_value',
      values: ['refresh_token'],
      path: ['grant_type'],
      message: 'Invalid input: expected "refresh_token"',
    };

    expect(credentialsOrRefresh([[missingPassword], [notARefreshGrant]])).toEqual({
      detail: 'password is required.',
      errors: [{ path: 'password', message: 'is required' }],
    });
    // An empty body: two fields missing weigh as much as a wrong constant; the first wins.
    const missingEmail = { ...missingPassword, path: ['email'] };
    expect(
      credentialsOrRefresh([[missingEmail, missingPassword], [notARefreshGrant]]).errors,
    ).toEqual([
      { path: 'email', message: 'is required' },
      { path: 'password', message: 'is required' },
    ]);
  });

  test('rewrites Zod’s default messages of constants, discriminators and lengths', () => {
    const { errors } = validationProblem('body', [
      issue('/transport', 'invalid_value', 'Invalid input: expected "cookie"', {
        values: ['cookie'],
      }),
      issue('/grant_type', 'invalid_union', 'Invalid discriminator value', {
        options: ['password', 'refresh_token'],
      }),
      issue('/refresh_token', 'too_big', 'Too big: expected string to have <=1024 characters', {
        origin: 'string',
        maximum: 1024,
      }),
    ]);

    expect(errors.map((e) => e.message)).toEqual([
      'must be "cookie"',
      'must be "password" or "refresh_token"',
      'must be at most 1024 characters',
    ]);
  });
});
