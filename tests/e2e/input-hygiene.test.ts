import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectProblem, TestApi } from '../support/api.ts';

// Passwords and names a client may not store, each refused with a 422 that says why.

let api: TestApi;
let owner: Awaited<ReturnType<TestApi['signUp']>>;
let project: number;
beforeAll(async () => {
  api = await TestApi.start();
  owner = await api.signUp();
  project = await api.createProject(owner.token, { name: 'Hygiene' });
});
afterAll(() => api.close());

describe('passwords', () => {
  test.each([
    ['eight spaces', ' '.repeat(8), 'password-rules-not-met', /only white space/],
    ['eight NUL bytes', '\u0000'.repeat(8), 'password-rules-not-met', /control character/],
    ['a line break', 'correct\nhorse', 'password-rules-not-met', /control character/],
    ['the demo password of the original', 'password', 'password-too-common', /most common/],
    ['a common one in capitals', 'BASEBALL', 'password-too-common', /most common/],
    ['a common one typed full-width', 'ｆｏｏｔｂａｌｌ', 'password-too-common', /most common/],
  ])('%s is refused with a 422 that says why', async (_what, password, code, why) => {
    const response = await api.request('POST', '/api/users', {
      json: { email: api.uniqueEmail(), password },
    });

    expectProblem(response, 422);
    expect(response.body.code).toBe(code);
    expect(response.body.detail).toMatch(why);
  });

  test('one with spaces, or typed in another Unicode form, is accepted and logs in', async () => {
    const email = api.uniqueEmail();
    const registered = await api.request('POST', '/api/users', {
      json: { email, password: 'ｍｙ  ｌｏｎｇ passphrase' },
    });
    const login = await api.request('POST', '/api/users/login', {
      json: { email, password: 'my  long passphrase' },
    });

    expect(registered.status).toBe(201);
    expect(login.status).toBe(200);
  });
});

/** What a 422 says: its detail, and the message of each invalid field (from the schema). */
function reasons(body: { detail: string; errors?: { message: string }[] }): string {
  return [body.detail, ...(body.errors ?? []).map((error) => error.message)].join(' ');
}

describe('project and task names', () => {
  const refused: [string, string, RegExp][] = [
    ['only zero-width spaces', '\u200B\u200B\u200B\u200B\u200B', /no visible character/],
    ['only joiners and direction marks', '\u200D\u200C\u2060\u200E\u200F', /no visible character/],
    ['a right-to-left override', 'Invoice\u202Egpj.exe', /reverses the text/],
    ['a directional isolate', 'Plan \u2067A\u2069 now', /reverses the text/],
    ['a control character', 'Robert\u0000Tables', /control character/],
    ['too few characters once trimmed', '  abc  ', /at least 4 characters|it has 3 characters/],
  ];

  test.each(refused)('a project name with %s is a 422 that says why', async (_what, name, why) => {
    const response = await api.request('POST', '/api/projects', {
      token: owner.token,
      json: { name },
    });

    expectProblem(response, 422);
    expect(['invalid-name', 'validation-failed']).toContain(response.body.code);
    expect(reasons(response.body)).toMatch(why);
  });

  test.each(refused)('a task name with %s is a 422 that says why', async (_what, name, why) => {
    const response = await api.request('POST', `/api/projects/${project}/tasks`, {
      token: owner.token,
      json: { name },
    });

    expectProblem(response, 422);
    expect(['invalid-name', 'validation-failed']).toContain(response.body.code);
    expect(reasons(response.body)).toMatch(why);
  });

  test('a name is stored NFC and trimmed', async () => {
    const response = await api.request('POST', '/api/projects', {
      token: owner.token,
      json: { name: '  Cafe\u0301 plans  ' },
    });

    expect(response.status).toBe(201);
    expect(response.body.name).toBe('Caf\u00e9 plans');
  });
});
