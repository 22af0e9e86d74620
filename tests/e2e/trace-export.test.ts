import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ServerProcess } from '../support/server-process.ts';
import { type FreshDatabase, freshDatabase } from '../support/test-database.ts';

/**
 * An OTLP/HTTP receiver (JSON encoding) that keeps what the service exports; while
 * `refusing`, it answers every export with a 400 (which an exporter does not retry).
 */
async function otlpReceiver() {
  const batches: string[] = [];
  const receiver = { refusing: false, refused: 0 };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (receiver.refusing) {
        receiver.refused += 1;
        response.writeHead(400, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (request.url === '/v1/traces') batches.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}`,
    batches,
    close: () => server.close(),
  });
}

/** The service as in production, on a fresh database, exporting (as JSON) to a new receiver. */
async function tracedService(env: Record<string, string>) {
  const database = await freshDatabase();
  const receiver = await otlpReceiver();
  const server = await ServerProcess.start({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    JWT_SECRET: 'trace-export-test-secret-0123456789-abcdefghijklmnop',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    ...env,
  });
  await server.ready();
  return { database, receiver, server };
}

interface ExportedSpan {
  traceId: string;
  spanId: string;
  name: string;
}

/**
 * The service as it runs in production, exporting to an OTLP receiver: what leaves the
 * process, spans and log lines, is checked for trace ids and for secrets.
 */
describe('tracing on, exported over OTLP (http/json)', () => {
  let database: FreshDatabase;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let server: ServerProcess;
  const password = 'first secret horse battery';
  const newPassword = 'second secret horse battery';
  const secrets: string[] = [password, newPassword];
  let exported = '';
  let logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    ({ database, receiver, server } = await tracedService({ LOG_LEVEL: 'info' }));

    const base = server.url;
    const json = (body: unknown, token?: string) => ({
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    const form = (fields: Record<string, string>) => ({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const email = 'traced@example.com';
    await fetch(`${base}/api/users`, { method: 'POST', ...json({ email, password }) });
    const login = await fetch(`${base}/api/users/login`, {
      method: 'POST',
      ...form({ grant_type: 'password', username: email, password }),
    }).then((r) => r.json() as Promise<{ access_token: string; refresh_token: string }>);
    secrets.push(login.access_token, login.refresh_token);
    await fetch(`${base}/api/users/me`, {
      headers: { authorization: `Bearer ${login.access_token}` },
    });
    const refreshed = await fetch(`${base}/api/users/login`, {
      method: 'POST',
      ...form({ grant_type: 'refresh_token', refresh_token: login.refresh_token }),
    }).then((r) => r.json() as Promise<{ access_token: string; refresh_token: string }>);
    secrets.push(refreshed.access_token, refreshed.refresh_token);
    await fetch(`${base}/api/users/me/password`, {
      method: 'PUT',
      ...json({ currentPassword: password, newPassword }, refreshed.access_token),
    });
    // A failed login, with the wrong password in a JSON body.
    await fetch(`${base}/api/users/login`, {
      method: 'POST',
      ...json({ email, password: `${password}-wrong` }),
    });

    // SIGTERM: the spans still queued are flushed before the process ends.
    expect(await server.stop()).toBe(0);
    exported = receiver.batches.join('\n');
    logLines = server.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  });

  afterAll(async () => {
    await server?.stop();
    receiver?.close();
    await database?.drop();
  });

  const spans = (): ExportedSpan[] =>
    receiver.batches.flatMap((batch) =>
      (JSON.parse(batch).resourceSpans as { scopeSpans: { spans: ExportedSpan[] }[] }[]).flatMap(
        (resource) => resource.scopeSpans.flatMap((scope) => scope.spans),
      ),
    );

  test('the spans reach the collector, under the package name as the service name', () => {
    const names = spans().map((span) => span.name);
    expect(names).toContain('POST /api/users');
    expect(names).toContain('accounts.RegisterUser');
    expect(names).toContain('projects.giveNewUserAnExampleProject');
    expect(exported).toContain('"key":"service.name","value":{"stringValue":"taskflow"}');
  });

  test('every log line of a request carries the trace and span ids of a span exported', () => {
    const requestLines = logLines.filter((line) => line.reqId !== undefined);
    expect(requestLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    const exportedSpans = new Set(spans().map((span) => `${span.traceId}/${span.spanId}`));
    for (const line of requestLines) {
      expect(line, JSON.stringify(line)).toMatchObject({
        trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      expect(exportedSpans.has(`${line.trace_id}/${line.span_id}`)).toBe(true);
    }
  });

  test("a message handler's log lines carry the ids of the handler's span", () => {
    const handlerLines = logLines.filter(
      (line) => line.msg === 'project created' || line.msg === 'email written to a file',
    );
    expect(handlerLines).toHaveLength(2);
    const handlerSpans = new Map(spans().map((span) => [span.spanId, span.name]));
    expect(handlerLines.map((line) => handlerSpans.get(line.span_id as string)).sort()).toEqual([
      'accounts.sendWelcomeEmail',
      'projects.announceProject',
    ]);
  });

  test('no span and no log line holds a password, a token or an Authorization header', () => {
    expect(exported.length).toBeGreaterThan(0);
    const everything = `${exported}\n${server.output}`;
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/bearer /i);
    // No attribute is named after a header or a credential.
    expect(exported).not.toMatch(/"key":"[^"]*(authorization|cookie|password|token)/i);
  });
});

interface ExportedAttribute {
  key: string;
  value: { stringValue?: string };
}

/**
 * OpenTelemetry's standard variables that the 3.x SDK no longer reads itself, read by the
 * service: the batch span processor's (`OTEL_BSP_*`), the span limits, and
 * `OTEL_TRACES_EXPORTER` with the console exporter beside OTLP.
 */
describe('OTEL_BSP_*, span limits and OTEL_TRACES_EXPORTER=otlp,console', () => {
  let database: FreshDatabase;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let server: ServerProcess;
  const LENGTH_LIMIT = 16;

  beforeAll(async () => {
    ({ database, receiver, server } = await tracedService({
      LOG_LEVEL: 'warn',
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: String(LENGTH_LIMIT),
    }));
    await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'limits@example.com', password: 'a long enough password' }),
    });
  });

  afterAll(async () => {
    await server?.stop();
    receiver?.close();
    await database?.drop();
  });

  /** What each export to the receiver held. */
  const batches = () =>
    receiver.batches.map((batch) =>
      (
        JSON.parse(batch).resourceSpans as {
          scopeSpans: { spans: (ExportedSpan & { attributes: ExportedAttribute[] })[] }[];
        }[]
      ).flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
    );
  const attributes = () => batches().flatMap((spans) => spans.flatMap((span) => span.attributes));

  test('a batch of one span is exported at once, not after the 5 s default delay', async () => {
    // The registration's HTTP, command, SQL, outbox and handler spans: one request each.
    await vi.waitFor(() => expect(receiver.batches.length).toBeGreaterThanOrEqual(5), {
      timeout: 3_000,
    });
    for (const spans of batches()) expect(spans).toHaveLength(1);
  });

  test('attribute values are cut to OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', async () => {
    await vi.waitFor(() =>
      expect(
        batches()
          .flat()
          .map(({ name }) => name),
      ).toContain('accounts.RegisterUser'),
    );
    const values = attributes().flatMap(({ value }) => value.stringValue ?? []);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value.length).toBeLessThanOrEqual(LENGTH_LIMIT);
    // The statements' text was longer: it is there, cut.
    const statements = attributes().filter(({ key }) => key === 'db.query.text');
    expect(statements.map(({ value }) => value.stringValue?.length)).toContain(LENGTH_LIMIT);
  });

  test('the console exporter writes the same spans to standard output', async () => {
    await vi.waitFor(() => expect(server.output).toContain("name: 'POST /api/users'"));
    expect(server.output).toContain("name: 'accounts.RegisterUser'");
  });
});

// The SDK drops a batch it could not export and says nothing: an endpoint with no collector
// taking the spans would lose every one of them in silence.
describe('a collector that refuses the spans', () => {
  let database: FreshDatabase;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let server: ServerProcess;

  beforeAll(async () => {
    ({ database, receiver, server } = await tracedService({
      LOG_LEVEL: 'info',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1',
    }));
  });

  afterAll(async () => {
    await server?.stop();
    receiver?.close();
    await database?.drop();
  });

  /** The export reports logged so far, in order: `false` for a failure, `true` for working again. */
  const reports = () =>
    server.output
      .split('\n')
      .flatMap((line) =>
        line.includes('trace export failed')
          ? [false]
          : line.includes('trace export works again')
            ? [true]
            : [],
      );

  // Exports run side by side: one sent before the collector began refusing may be answered
  // after a refused one, and count as working again (then the next refusal is told again). So:
  // told on each change, failing or working again, never once per refused batch.
  test('is logged when it starts refusing (not for every batch), and when it takes them again', async () => {
    receiver.refusing = true;
    for (let i = 0; i < 8; i++) await fetch(`${server.url}/health/ready`);
    await vi.waitFor(
      () => {
        expect(receiver.refused).toBeGreaterThanOrEqual(8);
        expect(reports()).toContain(false);
      },
      { timeout: 10_000 },
    );
    expect(reports().filter((working) => !working).length).toBeLessThan(receiver.refused);

    receiver.refusing = false;
    await fetch(`${server.url}/health/ready`);
    await vi.waitFor(() => expect(reports().at(-1)).toBe(true), { timeout: 10_000 });
    // Each report tells a change: failing, working, failing, ... never the same twice in a row.
    const told = reports();
    expect(told[0]).toBe(false);
    for (const [i, working] of told.entries()) expect(working).toBe(i % 2 === 1);
  });
});
