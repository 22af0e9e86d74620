import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PAGE_HEADERS } from '../../src/building-blocks/http/http-edge.ts';
import { TestApi } from '../support/api.ts';
import { testConfig } from '../support/test-config.ts';

// The HTTP edge: timeouts, connection limit, security headers, CORS and caching, seen from a
// client.

/** A GET with the path sent exactly as written (fetch would resolve `..` itself). */
function rawGet(api: TestApi, path: string) {
  const { port } = new URL(api.baseUrl);
  return new Promise<{ status: number; type: string; location?: string; body: string }>(
    (resolve, reject) => {
      request({ host: '127.0.0.1', port, path }, (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: response.headers['content-type'] ?? '',
            location: response.headers.location,
            body,
          }),
        );
      })
        .on('error', reject)
        .end();
    },
  );
}

function openSocket(api: TestApi): Promise<Socket> {
  const { port } = new URL(api.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves with the milliseconds until the server closes the socket. */
function closedAfter(socket: Socket): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    socket.on('error', () => {});
    socket.on('close', () => resolve(Date.now() - started));
    // Read what the server sends (its 408), or the socket never sees the end of the stream.
    socket.resume();
  });
}

describe('security headers and caching', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.close());

  test('every API response forbids sniffing, referrers, framing and any active content', async () => {
    for (const response of [
      await api.request('GET', '/health'),
      await api.request('GET', '/api/projects'),
      await api.request('GET', '/no/such/route'),
    ]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      // HTTPS is not configured: no HSTS over plain HTTP.
      expect(response.headers.get('strict-transport-security')).toBeNull();
      // Data, not a page: none of the headers only a rendered page heeds.
      for (const name of Object.keys(PAGE_HEADERS)) {
        expect(response.headers.get(name), name).toBeNull();
      }
    }
  });

  test('the documentation page gets a policy Swagger UI works under, framed only by itself', async () => {
    const page = await api.request('GET', '/docs/');
    const script = await api.request('GET', '/docs/static/swagger-ui-bundle.js');

    expect(page.status).toBe(200);
    expect(script.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('x-dns-prefetch-control')).toBe('off');
  });

  test('the static copy of the page sends a browser to the page, whatever its query or host', async () => {
    for (const path of [
      '/docs/static/index.html',
      '/docs/static/index.html?x=1',
      'http://elsewhere.example/docs/static/index.html',
    ]) {
      const response = await rawGet(api, path);
      expect(response.status, path).toBe(302);
      expect(response.location, path).toBe('/docs/');
    }
  });

  test('a path out of the documentation folder is a 404 problem document, not a 500', async () => {
    for (const path of [
      '/docs/static/../../package.json',
      '/docs/static/%2e%2e/%2e%2e/package.json',
      '/docs/static/..%2f..%2fpackage.json',
    ]) {
      const response = await rawGet(api, path);
      expect(response.status, path).toBe(404);
      expect(response.type).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toContain('"version"');
    }
  });

  test('the token response and every response to a request with credentials are not stored', async () => {
    const user = await api.signUp();
    const login = await api.request('POST', '/api/users/login', {
      json: { email: user.email, password: user.password },
    });
    const me = await api.request('GET', '/api/users/me', { token: user.token });
    const refused = await api.request('GET', '/api/users/me', { token: 'not-a-token' });
    // Refused before any route is found (a URL that is not valid percent-encoding).
    const unroutable = await api.request('GET', '/api/projects/%E0%A4%A', { token: user.token });
    const anonymous = await api.request('GET', '/health');

    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(unroutable.status).toBe(400);
    expect(unroutable.headers.get('cache-control')).toBe('no-store');
    expect(anonymous.headers.get('cache-control')).toBeNull();
  });

  test('CORS is off by default: no origin is allowed', async () => {
    const preflight = await api.request('OPTIONS', '/api/projects', {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    const simple = await api.request('GET', '/health', {
      headers: { origin: 'https://app.example.com' },
    });

    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('configured for HTTPS and for a browser client', () => {
  let api: TestApi;
  beforeAll(async () => {
    const { httpEdge } = testConfig();
    api = await TestApi.start({
      httpEdge: {
        ...httpEdge,
        corsOrigins: ['https://app.example.com'],
        hstsMaxAgeSeconds: 31_536_000,
      },
    });
  });
  afterAll(() => api.close());

  test('HSTS is sent', async () => {
    const response = await api.request('GET', '/health');
    expect(response.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  test('an allowed origin may call the API, another may not', async () => {
    const allowed = await api.request('OPTIONS', '/api/projects', {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    const other = await api.request('OPTIONS', '/api/projects', {
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });

    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an OPTIONS request that is not a preflight gets the 404 problem document it gets with CORS off', async () => {
    const bare = await api.request('OPTIONS', '/api/projects');
    const withoutMethod = await api.request('OPTIONS', '/api/projects', {
      headers: { origin: 'https://app.example.com' },
    });

    for (const response of [bare, withoutMethod]) {
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 404, code: 'not-found' });
    }
  });

  test('an allowed origin can read every header the API gives it to use: ETag, Link, Location, ...', async () => {
    const response = await api.request('GET', '/health', {
      headers: { origin: 'https://app.example.com' },
    });

    const exposed = (response.headers.get('access-control-expose-headers') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase());
    for (const header of ['etag', 'link', 'location', 'retry-after', 'idempotent-replayed']) {
      expect(exposed).toContain(header);
    }
  });
});

describe('timeouts and the connection limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    const { httpEdge } = testConfig();
    api = await TestApi.start({
      httpEdge: { ...httpEdge, requestTimeoutMs: 1500, headersTimeoutMs: 1000, maxConnections: 8 },
    });
  });
  afterAll(() => api.close());

  test('a client that sends its body a byte at a time is cut off within the request timeout, while others are served', async () => {
    const slow = await openSocket(api);
    const closed = closedAfter(slow);
    slow.write(
      'POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
    );
    const drip = setInterval(() => slow.writable && slow.write('{'), 200);
    try {
      const served = [];
      for (let i = 0; i < 5; i++) served.push((await api.request('GET', '/health')).status);
      expect(served).toEqual([200, 200, 200, 200, 200]);

      // The deadline is 1.5 s; Node checks deadlines every second.
      expect(await closed).toBeLessThan(1500 + 1000 + 500);
    } finally {
      clearInterval(drip);
      slow.destroy();
    }
  });

  test('a client that never finishes its headers is cut off within the headers timeout', async () => {
    const slow = await openSocket(api);
    const closed = closedAfter(slow);
    slow.write('GET /health HTTP/1.1\r\nHost: x\r\n');

    expect(await closed).toBeLessThan(1000 + 1000 + 500);
  });

  test('connections beyond the limit are refused at once, and accepted again once others close', async () => {
    const held = await Promise.all(Array.from({ length: 8 }, () => openSocket(api)));
    try {
      const extra = await openSocket(api);
      expect(await closedAfter(extra)).toBeLessThan(1000);
    } finally {
      for (const socket of held) socket.destroy();
    }
    // Once they are gone, new connections are accepted again.
    const deadline = Date.now() + 5000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = await api.request('GET', '/health').then(
        (response) => response.status,
        () => 0,
      );
    }
    expect(status).toBe(200);
  });
});
