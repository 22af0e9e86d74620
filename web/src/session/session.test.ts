import { beforeEach, describe, expect, test, vi } from 'vitest';
import { Session } from './session';

const BASE = 'http://taskflow.test';

function problem(status: number, code: string, detail: string): Response {
  return Response.json(
    { type: `/problems#${code}`, title: 'Unauthorized', status, code, detail },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}

/**
 * The service as far as a session sees it: the token route (password and cookie refresh
 * grants) and one authenticated route, with the tokens it considers valid.
 */
class FakeService {
  issued = 0;
  valid = new Set<string>();
  cookieLive = true;
  /** A status the token route answers refreshes with instead (the service busy or down). */
  refreshTrouble: number | undefined;
  refreshes = 0;
  readonly seen: Request[] = [];

  readonly fetch = vi.fn(async (request: Request): Promise<Response> => {
    this.seen.push(request.clone());
    const path = new URL(request.url).pathname;
    if (path === '/api/users/login') {
      const body = await request.json();
      if (body.grant_type === 'refresh_token') {
        this.refreshes++;
        if (this.refreshTrouble) return problem(this.refreshTrouble, 'busy', 'Try again later.');
        if (!this.cookieLive) return problem(401, 'invalid-refresh-token', 'Log in again.');
      } else if (body.password !== 'right password') {
        return problem(401, 'invalid-credentials', 'Invalid email or password');
      }
      return Response.json({ access_token: this.issue(), token_type: 'bearer', expires_in: 900 });
    }
    const token = request.headers.get('authorization')?.replace('Bearer ', '') ?? '';
    if (!this.valid.has(token)) return problem(401, 'not-authenticated', 'Expired.');
    return Response.json({ projects: [], nextCursor: null });
  });

  /** Whose session the browser's refresh cookie names. */
  person = 'ann';

  /** An access token shaped like the service's: a JWT whose `sub` is the person. */
  issue(): string {
    const token = jwt(this.person, ++this.issued);
    this.valid.add(token);
    return token;
  }

  /** Every access token issued so far expires. */
  expireTokens(): void {
    this.valid.clear();
  }
}

/** The n-th access token issued to `person` (the signature is not checked by the client). */
function jwt(person: string, n: number): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replaceAll('=', '');
  return `${part({ alg: 'HS256' })}.${part({ sub: person, n })}.signature-${n}`;
}

let service: FakeService;
let session: Session;
beforeEach(async () => {
  service = new FakeService();
  session = new Session({ baseUrl: BASE, fetch: service.fetch, wait: async () => {} });
});

const listProjects = () => session.api.GET('/api/projects');

describe('logging in', () => {
  test('asks for the refresh token in the HttpOnly cookie and keeps the access token in memory only', async () => {
    await session.logIn('ann@example.com', 'right password');
    expect(session.state).toBe('signed-in');
    const [login] = service.seen;
    expect(login?.headers.get('x-refresh-token-transport')).toBe('cookie');

    await listProjects();
    expect(service.seen.at(-1)?.headers.get('authorization')).toBe(`Bearer ${jwt('ann', 1)}`);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  test('a refusal is thrown in the API’s words and leaves the person signed out', async () => {
    await expect(session.logIn('ann@example.com', 'wrong')).rejects.toThrow(
      'Invalid email or password',
    );
    expect(session.state).toBe('unknown');
  });
});

describe('an access token the API refuses', () => {
  beforeEach(() => session.logIn('ann@example.com', 'right password'));

  test('is renewed once through the cookie and the request sent again, unnoticed', async () => {
    service.expireTokens();
    const { data, response } = await listProjects();
    expect(response.status).toBe(200);
    expect(data).toEqual({ projects: [], nextCursor: null });
    expect(service.refreshes).toBe(1);
    expect(service.seen.at(-1)?.headers.get('authorization')).toBe(`Bearer ${jwt('ann', 2)}`);
    expect(session.state).toBe('signed-in');
  });

  test('by several requests at once is renewed by one refresh that they all wait for', async () => {
    service.expireTokens();
    const answers = await Promise.all([listProjects(), listProjects(), listProjects()]);
    expect(answers.map(({ response }) => response.status)).toEqual([200, 200, 200]);
    expect(service.refreshes).toBe(1);
  });

  test('when the session has ended (the refresh is refused) signs the person out', async () => {
    const states: string[] = [];
    session.subscribe((state) => states.push(state));
    service.expireTokens();
    service.cookieLive = false;
    const { response } = await listProjects();
    expect(response.status).toBe(401);
    expect(session.state).toBe('signed-out');
    expect(states).toEqual(['signed-out']);
  });

  test.each([429, 503])(
    'when the refresh itself is answered %i, fails with that problem and keeps the person signed in',
    async (status) => {
      service.expireTokens();
      service.refreshTrouble = status;

      await expect(listProjects()).rejects.toThrow('Try again later.');
      expect(session.state).toBe('signed-in');

      service.refreshTrouble = undefined;
      expect((await listProjects()).response.status).toBe(200);
    },
  );

  test('when the cookie now names someone else (logged in in another tab), signs this tab out instead of acting as them', async () => {
    service.expireTokens();
    service.person = 'bob';
    const { response } = await listProjects();
    expect(response.status).toBe(401);
    expect(session.state).toBe('signed-out');
    // The request was not sent again with Bob's token.
    const sentWith = service.seen.map((request) => request.headers.get('authorization'));
    expect(sentWith.filter((header) => header?.includes(jwt('bob', 2)))).toEqual([]);
  });

  test('again after a renewal signs the person out without a second refresh', async () => {
    service.expireTokens();
    service.issue = () => 'a-token-the-api-refuses-too';
    const { response } = await listProjects();
    expect(response.status).toBe(401);
    expect(service.refreshes).toBe(1);
    expect(session.state).toBe('signed-out');
  });
});

describe('restoring the session when the page loads', () => {
  test('a live refresh cookie signs the person in, once however often it is asked', async () => {
    const states = await Promise.all([session.restore(), session.restore()]);
    expect(states).toEqual(['signed-in', 'signed-in']);
    expect(service.refreshes).toBe(1);
  });

  test('no live cookie, or no service, means signed out', async () => {
    service.cookieLive = false;
    expect(await session.restore()).toBe('signed-out');

    const offline = new Session({
      baseUrl: BASE,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      wait: async () => {},
    });
    expect(await offline.restore()).toBe('signed-out');
  });

  test('a service that cannot say for a moment is asked again, and the person stays in', async () => {
    const waits: number[] = [];
    let answers = 0;
    const busyAtFirst = new Session({
      baseUrl: BASE,
      fetch: (request) =>
        ++answers <= 2 ? Promise.resolve(problem(503, 'busy', 'Later.')) : service.fetch(request),
      wait: async (ms) => {
        waits.push(ms);
      },
    });

    expect(await busyAtFirst.restore()).toBe('signed-in');
    expect(waits).toEqual([1000, 2000]);
  });

  test('tabs take turns to refresh: the refresh runs under the browser’s lock', async () => {
    const held: string[] = [];
    const locks = {
      request: vi.fn(async (name: string, work: () => Promise<unknown>) => {
        held.push(name);
        return work();
      }),
    } as unknown as LockManager;
    const tab = new Session({ baseUrl: BASE, fetch: service.fetch, locks });
    await tab.restore();
    expect(held).toEqual(['taskflow-refresh']);
  });
});

describe('logging out', () => {
  test('ends the session on the service and forgets the token', async () => {
    await session.logIn('ann@example.com', 'right password');
    await session.logOut();
    expect(service.seen.at(-1)?.url).toBe(`${BASE}/api/users/logout`);
    expect(service.seen.at(-1)?.headers.get('authorization')).toBe(`Bearer ${jwt('ann', 1)}`);
    expect(session.state).toBe('signed-out');
  });

  test('when the service cannot be told, throws and keeps the person signed in (the cookie would let the next person in)', async () => {
    await session.logIn('ann@example.com', 'right password');
    service.fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(session.logOut()).rejects.toThrow('Failed to fetch');
    expect(session.state).toBe('signed-in');

    await session.logOut();
    expect(session.state).toBe('signed-out');
  });

  test('an account deleted is remembered, whatever ends the session after it, until the next log-in', async () => {
    await session.logIn('ann@example.com', 'right password');
    session.signedOut('account-deleted');
    session.signedOut(); // a request still under way, refused
    expect(session.accountDeleted).toBe(true);

    await session.logIn('ann@example.com', 'right password');
    expect(session.accountDeleted).toBe(false);
  });

  test('a session ended elsewhere is told apart from a log-out here, until the next log-in', async () => {
    await session.logIn('ann@example.com', 'right password');
    service.expireTokens();
    service.cookieLive = false;
    await listProjects(); // refused: the session ended (another tab logged out, say)
    expect(session.endedElsewhere).toBe(true);

    service.cookieLive = true;
    await session.logIn('ann@example.com', 'right password');
    expect(session.endedElsewhere).toBe(false);
    await session.logOut();
    expect(session.endedElsewhere).toBe(false);
  });

  test('a session that had already ended is simply signed out here', async () => {
    await session.logIn('ann@example.com', 'right password');
    service.expireTokens();
    service.cookieLive = false;
    await session.logOut();
    expect(session.state).toBe('signed-out');
  });
});
