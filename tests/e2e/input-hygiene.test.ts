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

// The lengths are counted once, the way the rules say (code points, after the normal form and
// trimming): the edge's check and the domain's agree, for any way a client typed the text.
describe('lengths are counted after normalising, in characters', () => {
  test.each([
    ['20 accented letters typed decomposed (40 code points before NFC)', 'e\u0301'.repeat(20), 20],
    ['32 characters between spaces', `   ${'x'.repeat(32)}   `, 32],
    ['17 emoji (34 UTF-16 units)', '\u{1F680}'.repeat(17), 17],
    [
      'a line break after it (trimmed away, so no control character is left)',
      'Kitchen plans\n',
      13,
    ],
  ])('a project name of %s is accepted', async (_what, name, characters) => {
    const response = await api.request('POST', '/api/projects', {
      token: owner.token,
      json: { name },
    });

    expect(response.status).toBe(201);
    expect([...response.body.name].length).toBe(characters);
  });

  test('33 characters once trimmed is too many, said by the field', async () => {
    const response = await api.request('POST', `/api/projects/${project}/tasks`, {
      token: owner.token,
      json: { name: ` ${'x'.repeat(33)} ` },
    });

    expectProblem(response, 422);
    expect(response.body.errors).toEqual([
      { path: 'name', message: 'must be at most 32 characters' },
    ]);
  });

  test.each([
    ['five ligatures (ten letters once NFKC-normalised)', '\uFB00'.repeat(5)],
    ['100 accented letters typed decomposed (200 code points before NFKC)', 'e\u0301'.repeat(100)],
  ])('a password of %s is accepted and logs in', async (_what, password) => {
    const email = api.uniqueEmail();
    const registered = await api.request('POST', '/api/users', { json: { email, password } });
    const login = await api.request('POST', '/api/users/login', { json: { email, password } });

    expect(registered.status).toBe(201);
    expect(login.status).toBe(200);
  });
});
