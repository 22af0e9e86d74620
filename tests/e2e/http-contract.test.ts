import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_QUEUED_ANSWERS } from '../../src/building-blocks/http/pipelining.ts';
import { expectProblem, TestApi } from '../support/api.ts';

let api: TestApi;
let owner: Awaited<ReturnType<TestApi['signUp']>>;
let project: number;

beforeAll(async () => {
  api = await TestApi.start();
  owner = await api.signUp();
  project = await api.createProject(owner.token, { name: 'Contract project' }, ['First task']);
});
afterAll(() => api.close());

/** Sends bytes as they are, for requests fetch refuses to make; resolves with the answer. */
function rawRequest(bytes: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(api.baseUrl);
  return new Promise((resolve, reject) => {
    // Written, not ended: a client that half-closes gets no answer to a request still running.
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function problemIn(answer: string): {
  status: number;
  type: string;
  body: Record<string, unknown>;
} {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  expect(head).toMatch(/content-type: application\/problem\+json/i);
  return { status: Number(head.split(' ')[1]), type: head, body: JSON.parse(body) };
}

describe('path parameters', () => {
  test.each(['0x2', '2e0', '+2', '2.0', '%202', '02', '-2', '0', '2147483648'])(
    '%s is not a project id: 422 naming the parameter',
    async (id) => {
      const response = await api.request('GET', `/api/projects/${id}`, { token: owner.token });
      expectProblem(response, 422);
      expect(response.body.errors).toEqual([
        { path: 'params.projectId', message: expect.any(String) },
      ]);
      expect(response.body.detail).toMatch(/^Path parameter projectId must be/);
    },
  );

  test('the canonical form is the project; the largest id is merely absent', async () => {
    expect(
      (await api.request('GET', `/api/projects/${project}`, { token: owner.token })).status,
    ).toBe(200);
    const largest = await api.request('GET', '/api/projects/2147483647', { token: owner.token });
    expectProblem(largest, 404);
    const task = await api.request('GET', `/api/projects/${project}/tasks/01`, {
      token: owner.token,
    });
    expectProblem(task, 422);
    expect(task.body.errors[0].path).toBe('params.taskNumber');
  });
});

describe('errors raised before a route runs are problem documents', () => {
  test('a URL that is not valid percent-encoding: 400', async () => {
    const response = await api.request('GET', '/api/projects/%E0%A4%A', { token: owner.token });
    expectProblem(response, 400);
    expect(response.body.code).toBe('malformed-url');
  });

  test('headers too large: 431', async () => {
    const answer = await rawRequest(
      `GET /api/projects HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const { status, body } = problemIn(answer);
    expect(status).toBe(431);
    expect(body).toMatchObject({ status: 431, code: 'headers-too-large' });
  });

  test('a malformed chunk: 400', async () => {
    const answer = await rawRequest(
      'POST /api/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${owner.token}\r\n` +
        'Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    );
    const { status, body } = problemIn(answer);
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 400, code: 'malformed-body' });
  });

  test('a malformed Content-Length: 400', async () => {
    const answer = await rawRequest(
      'POST /api/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1x\r\n\r\n{}',
    );
    expect(problemIn(answer)).toMatchObject({ status: 400, body: { code: 'malformed-body' } });
  });

  test('an Expect the service does not meet: 417', async () => {
    const answer = await rawRequest('GET /health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n');
    expect(problemIn(answer)).toMatchObject({
      status: 417,
      body: { code: 'expectation-failed' },
    });
  });

  test('an HTTP/1.1 request without Host: 400 (an HTTP/1.0 one is served)', async () => {
    const answer = await rawRequest('GET /health HTTP/1.1\r\n\r\n');
    expect(problemIn(answer)).toMatchObject({ status: 400, body: { code: 'missing-host' } });
    expect(answer.toLowerCase()).toContain('connection: close');
    const old = await rawRequest('GET /health HTTP/1.0\r\n\r\n');
    expect(old).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('a request with two Host headers: 400', async () => {
    const answer = await rawRequest('GET /health HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n');
    expect(problemIn(answer)).toMatchObject({ status: 400, body: { code: 'missing-host' } });
  });

  test('a request with two Authorization headers: 400, whoever the tokens are', async () => {
    const answer = await rawRequest(
      `GET /api/users/me HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${owner.token}\r\nauthorization: Bearer ${owner.token}\r\n\r\n`,
    );
    expect(problemIn(answer)).toMatchObject({
      status: 400,
      body: { code: 'repeated-authorization' },
    });
  });

  test('CONNECT, which no route takes: 404, not a closed socket, and no connection left open', async () => {
    const server = api.app.http.server;
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    const before = await connections();
    const answer = await rawRequest(
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n',
    );
    expect(problemIn(answer)).toMatchObject({ status: 404, body: { code: 'not-found' } });
    const deadline = Date.now() + 5_000;
    while ((await connections()) > before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await connections()).toBe(before);
  });

  test('a caller’s request id is kept on the answers given before a route', async () => {
    for (const raw of [
      'GET /health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nX-Request-Id: probe-417\r\n\r\n',
      'GET /health HTTP/1.1\r\nX-Request-Id: probe-417\r\n\r\n',
    ]) {
      expect(problemIn(await rawRequest(raw)).type.toLowerCase()).toContain(
        'x-request-id: probe-417',
      );
    }
  });

  test('they carry the security headers and a request id, as every answer does', async () => {
    const parsed = await api.request('GET', '/api/projects/%E0%A4%A', { token: owner.token });
    expect(parsed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(parsed.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(parsed.headers.get('x-frame-options')).toBe('DENY');
    for (const raw of [
      `GET /api/projects HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      'GET /health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n',
      'GET /health HTTP/1.1\r\n\r\n',
    ]) {
      const head = problemIn(await rawRequest(raw)).type.toLowerCase();
      expect(head).toContain('x-content-type-options: nosniff');
      expect(head).toContain("content-security-policy: default-src 'none';frame-ancestors 'none'");
      expect(head).toContain('x-frame-options: deny');
      expect(head).toContain('referrer-policy: no-referrer');
      expect(head).toMatch(/x-request-id: [0-9a-f-]{36}/);
    }
  });
});

describe('pipelined requests', () => {
  /** Writes all the requests at once, reads nothing for a while, then everything until the end. */
  function pipelined(count: number): Promise<{ answers: number; closed: boolean }> {
    const { hostname, port } = new URL(api.baseUrl);
    const requests = 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(count);
    return new Promise((resolve, reject) => {
      let received = '';
      const socket = connect(Number(port), hostname, () => {
        socket.pause();
        socket.write(requests);
        setTimeout(() => socket.resume(), 300);
        // A connection the service keeps open has given every answer by then.
        setTimeout(() => {
          socket.destroy();
          resolve({ answers: received.split('HTTP/1.1 200').length - 1, closed: false });
        }, 1_500);
      });
      socket.on('data', (chunk) => {
        received += chunk;
      });
      socket.on('close', () =>
        resolve({ answers: received.split('HTTP/1.1 200').length - 1, closed: true }),
      );
      socket.on('error', reject);
    });
  }

  test('a client may send a few requests ahead: each is answered, in order', async () => {
    expect(await pipelined(MAX_QUEUED_ANSWERS + 1)).toEqual({
      answers: MAX_QUEUED_ANSWERS + 1,
      closed: false,
    });
  });

  test('a connection that sends hundreds ahead gets the answers to the first few, then is closed', async () => {
    const { answers, closed } = await pipelined(500);
    expect(closed).toBe(true);
    expect(answers).toBe(MAX_QUEUED_ANSWERS + 1);
    // The service is none the worse for it.
    expect((await api.request('GET', '/health')).status).toBe(200);
  });
});

describe('bodies', () => {
  test('a compressed body is refused with 415, never read as plain', async () => {
    for (const encoding of ['gzip', 'br', 'deflate, identity']) {
      const response = await api.request('POST', '/api/projects', {
        token: owner.token,
        json: { name: 'Compressed' },
        headers: { 'content-encoding': encoding },
      });
      expectProblem(response, 415);
      expect(response.body.code).toBe('unsupported-content-encoding');
    }
    const identity = await api.request('POST', '/api/projects', {
      token: owner.token,
      json: { name: 'Identity' },
      headers: { 'content-encoding': 'identity' },
    });
    expect(identity.status).toBe(201);
  });

  test('a body in a transfer coding other than chunked is a 501, never read as plain', async () => {
    for (const coding of ['gzip, chunked', 'deflate, chunked', 'foo, chunked']) {
      const answer = await rawRequest(
        `POST /api/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer ${owner.token}\r\nTransfer-Encoding: ${coding}\r\n` +
          'Connection: close\r\n\r\n14\r\n{"name":"Smuggled!"}\r\n0\r\n\r\n',
      );
      expect(problemIn(answer)).toMatchObject({
        status: 501,
        body: { code: 'unsupported-transfer-encoding' },
      });
    }
    const chunked = await rawRequest(
      `POST /api/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${owner.token}\r\nTransfer-Encoding: chunked\r\n` +
        'Connection: close\r\n\r\n13\r\n{"name":"Chunked!"}\r\n0\r\n\r\n',
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 201 /);
  });

  test('a form login names any charset it likes: a form is percent-encoded ASCII', async () => {
    const login = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'password', username: owner.email, password: owner.password },
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=ISO-8859-1' },
    });
    expect(login.status).toBe(200);
  });

  test('a JSON body declared in a charset other than UTF-8 is a 415', async () => {
    for (const charset of ['utf-16', 'latin1', '"iso-8859-1"']) {
      const response = await api.request('POST', '/api/projects', {
        token: owner.token,
        json: { name: 'Charset' },
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expectProblem(response, 415);
      expect(response.body.code).toBe('unsupported-media-type');
    }
    for (const charset of ['utf-8', 'UTF-8', '"utf-8"', 'us-ascii']) {
      const response = await api.request('POST', '/api/projects', {
        token: owner.token,
        json: { name: 'Charset' },
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expect(response.status).toBe(201);
    }
  });

  test('a body that is not valid UTF-8 is a 400, and nothing is stored', async () => {
    const before = await api.request('GET', '/api/projects', { token: owner.token });
    const invalid = Buffer.concat([
      Buffer.from('{"name": "Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' menu"}'),
    ]);
    const { hostname, port } = new URL(api.baseUrl);
    const response = await fetch(`http://${hostname}:${port}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: invalid,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'malformed-body',
      detail: expect.stringMatching(/UTF-8/),
    });
    const after = await api.request('GET', '/api/projects', { token: owner.token });
    expect(after.body).toEqual(before.body);
  });

  test('a login form whose percent-escapes are not UTF-8 is a 400, not a password with U+FFFD', async () => {
    const email = `form-${randomUUID()}@example.com`;
    const registered = await api.request('POST', '/api/users', {
      json: { email, password: 'secret\uFFFDphrase-42' },
    });
    expect(registered.status).toBe(201);
    const login = (password: string) =>
      api.request('POST', '/api/users/login', {
        rawBody: `grant_type=password&username=${encodeURIComponent(email)}&password=${password}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

    for (const password of ['secret%FFphrase-42', 'secret%C0phrase-42', 'secret%E2%82phrase-42']) {
      const refused = await login(password);
      expectProblem(refused, 400);
      expect(refused.body).toMatchObject({
        code: 'malformed-body',
        detail: expect.stringMatching(/UTF-8/),
      });
    }
    // The real character, percent-encoded as UTF-8, and a lone `%` as URLSearchParams reads it.
    expect((await login('secret%EF%BF%BDphrase-42')).status).toBe(200);
    expect((await login('100%')).status).toBe(401);
  });

  test.each(['__proto__', 'constructor'])('a "%s" key is a 400 that says so', async (key) => {
    const response = await api.request('POST', '/api/projects', {
      token: owner.token,
      rawBody: `{"name": "Prototype", "${key}": {"prototype": {"admin": true}}}`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400);
    expect(response.body.code).toBe('forbidden-key');
    expect(response.body.detail).toMatch(/__proto__.*constructor/);
  });

  test('a "constructor" key holding anything but "prototype" is an unknown field, ignored', async () => {
    const response = await api.request('POST', '/api/projects', {
      token: owner.token,
      rawBody: '{"name": "Constructor field", "constructor": {"x": 1}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(201);
    expect(response.body.name).toBe('Constructor field');
  });

  test('validation details are sentences, one per field', async () => {
    const response = await api.request('POST', '/api/projects', {
      token: owner.token,
      json: { name: 'ab', maximumNumberOfIncompleteTasks: 'many' },
    });
    expectProblem(response, 422);
    expect(response.body.errors).toEqual([
      { path: 'name', message: 'must be at least 4 characters' },
      { path: 'maximumNumberOfIncompleteTasks', message: expect.any(String) },
    ]);
    expect(response.body.detail).toBe(
      `name must be at least 4 characters. maximumNumberOfIncompleteTasks ${response.body.errors[1].message}.`,
    );

    const missing = await api.request('POST', '/api/projects', { token: owner.token, json: {} });
    expect(missing.body.detail).toBe('name is required.');
  });

  test('the login route takes the OAuth2 form and JSON', async () => {
    const form = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'password', username: owner.email, password: owner.password },
    });
    expect(form.status).toBe(200);
    const json = await api.request('POST', '/api/users/login', {
      json: { email: owner.email, password: owner.password },
    });
    expect(json.status).toBe(200);
    const wrongGrant = await api.request('POST', '/api/users/login', {
      form: { grant_type: 'client_credentials', username: owner.email, password: owner.password },
    });
    expectProblem(wrongGrant, 422);
    expect(wrongGrant.body.errors[0]).toEqual({
      path: 'grant_type',
      message: 'must be "password" or "refresh_token"',
    });
    // The same in JSON: another grant type is never read as a password login.
    const wrongJsonGrant = await api.request('POST', '/api/users/login', {
      json: { grant_type: 'client_credentials', email: owner.email, password: owner.password },
    });
    expectProblem(wrongJsonGrant, 422);
    expect(wrongJsonGrant.body.errors[0].path).toBe('grant_type');
    const jsonWithGrant = await api.request('POST', '/api/users/login', {
      json: { grant_type: 'password', email: owner.email, password: owner.password },
    });
    expect(jsonWithGrant.status).toBe(200);
  });

  test('a form that sends a parameter twice is refused, not read as one of its values (RFC 6749 §3.2)', async () => {
    const response = await api.request('POST', '/api/users/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: `grant_type=password&username=${encodeURIComponent(owner.email)}&username=someone%40example.com&password=${encodeURIComponent(owner.password)}`,
    });

    expectProblem(response, 400);
    expect(response.body.code).toBe('malformed-body');
    expect(response.body.detail).toMatch(/more than once/);
  });

  // Reading on after a repeat made each repeat copy the list so far: 30,000 of them held the
  // process for minutes. The first repeat ends the reading.
  test('a form of thousands of repeats is refused at the first', async () => {
    const response = await api.request('POST', '/api/users/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'a&'.repeat(30_000),
    });

    expectProblem(response, 400);
  });

  test('a login body that is neither credentials nor a refresh grant says which field is wrong', async () => {
    const login = (json: object, headers: Record<string, string> = {}) =>
      api.request('POST', '/api/users/login', { json, headers });

    const noPassword = await login({ email: owner.email });
    expectProblem(noPassword, 422);
    expect(noPassword.body.errors).toEqual([{ path: 'password', message: 'is required' }]);

    const longToken = await login({ grant_type: 'refresh_token', refresh_token: 'x'.repeat(1025) });
    expect(longToken.body.errors).toEqual([
      { path: 'refresh_token', message: 'must be at most 1024 characters' },
    ]);

    const transport = await login(
      { email: owner.email, password: owner.password },
      { 'x-refresh-token-transport': 'body' },
    );
    expect(transport.body.detail).toBe('Header x-refresh-token-transport must be "cookie".');
  });
});

describe('problem types', () => {
  test('every type leads to the page that describes it', async () => {
    const response = await api.request('GET', '/api/projects/999999', { token: owner.token });
    expect(response.body.type).toBe('/problems#project-not-found');
    const page = await api.request('GET', new URL(response.body.type, api.baseUrl).pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(page.body).toContain('### project-not-found');
  });

  test('the page lists every code the service can raise', () => {
    const page = readFileSync('docs/problems.md', 'utf8');
    const listed = new Set([...page.matchAll(/^### ([a-z0-9-]+)$/gm)].map((m) => m[1]));
    const raised = new Set<string>();
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? sources(join(dir, entry.name))
          : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
            ? [join(dir, entry.name)]
            : [],
      );
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/readonly code = '([a-z0-9-]+)'/g)) raised.add(m[1] as string);
      for (const m of text.matchAll(/problem\(\s*\d{3},\s*'([a-z0-9-]+)'/g))
        raised.add(m[1] as string);
      for (const m of text.matchAll(/code: '([a-z0-9-]+)'/g)) raised.add(m[1] as string);
    }
    expect(raised.size).toBeGreaterThan(20);
    expect([...raised].filter((code) => !listed.has(code))).toEqual([]);
  });
});
