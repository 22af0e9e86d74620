import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { TestApi } from '../support/api.ts';
import {
  descendsFrom,
  inMemoryTracing,
  parentOf,
  SpanKind,
  SpanStatusCode,
} from '../support/in-memory-tracing.ts';

let tracing: Awaited<ReturnType<typeof inMemoryTracing>>;
let api: TestApi;

beforeAll(async () => {
  tracing = await inMemoryTracing();
  api = await TestApi.start({}, { tracer: tracing.tracer });
});
afterAll(() => api.close());
beforeEach(() => tracing.reset());

describe('one registration is one trace', () => {
  test('the HTTP span, the RegisterUser command, its SQL, the outbox write and the starter-project handler', async () => {
    const registered = await api.request('POST', '/api/users', {
      json: { email: api.uniqueEmail(), password: 'correct horse battery' },
    });
    expect(registered.status).toBe(201);

    const http = await tracing.span('POST /api/users');
    const command = await tracing.span('accounts.RegisterUser');
    // The user's INSERT (`accounts.users` on PostgreSQL, `accounts_users` on SQLite).
    const insertUser = await tracing.span('INSERT', (span) =>
      /^INSERT accounts.users$/.test(span.name),
    );
    const outboxWrite = await tracing.span('send accounts.outbox');
    const consumer = await tracing.span('process accounts.UserAccountCreated');
    const handler = await tracing.span('projects.giveNewUserAnExampleProject');
    const spans = tracing.spans();
    const count = (name: string) => spans.filter((span) => span.name === name).length;

    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.attributes).toMatchObject({
      'http.route': '/api/users',
      'http.response.status_code': 201,
    });
    expect(parentOf(command)).toBe(http.spanContext().spanId);
    expect(count('password hash')).toBe(1);

    // Its SQL, as text with placeholders (never the values), under the command.
    expect(insertUser.kind).toBe(SpanKind.CLIENT);
    expect(String(insertUser.attributes['db.query.text'])).toMatch(/^insert into/i);
    expect(String(insertUser.attributes['db.query.text'])).not.toContain('@');
    expect(descendsFrom(insertUser, command, spans)).toBe(true);

    // The outbox write, inside the command's transaction.
    expect(outboxWrite.kind).toBe(SpanKind.PRODUCER);
    expect(descendsFrom(outboxWrite, command, spans)).toBe(true);

    // The handler ran from the message: its consumer span is the child of the outbox write.
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(consumer)).toBe(outboxWrite.spanContext().spanId);
    expect(parentOf(handler)).toBe(consumer.spanContext().spanId);
    expect(count('projects.CreateExampleProject')).toBe(1);

    // All of it one trace.
    for (const span of [command, insertUser, outboxWrite, consumer, handler]) {
      expect(span.spanContext().traceId).toBe(http.spanContext().traceId);
    }
  });

  test("a caller's traceparent makes the request a part of the caller's trace", async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await api.request('GET', '/health', {
      headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` },
    });
    const http = await tracing.span('GET /health');
    expect(http.spanContext().traceId).toBe(callerTrace);
    expect(parentOf(http)).toBe('00f067aa0ba902b7');
  });
});

describe('failures', () => {
  test("a failing command's span has error status, and so does nothing else of a 4xx request", async () => {
    const email = api.uniqueEmail();
    const json = { email, password: 'correct horse battery' };
    expect((await api.request('POST', '/api/users', { json })).status).toBe(201);
    tracing.reset();

    expect((await api.request('POST', '/api/users', { json })).status).toBe(409);

    const http = await tracing.span('POST /api/users');
    const [command] = tracing.spans().filter((span) => span.name === 'accounts.RegisterUser');
    expect(command?.status.code).toBe(SpanStatusCode.ERROR);
    expect(command?.attributes['error.type']).toBe('EmailAddressAlreadyTaken');
    // A client's mistake is not the server's fault (OpenTelemetry's HTTP conventions).
    expect(http.status.code).toBe(SpanStatusCode.UNSET);
    expect(http.attributes['http.response.status_code']).toBe(409);
  });

  test('an authenticated request names its user and its queries, and an unknown route is named by its method alone', async () => {
    const user = await api.signUp();
    tracing.reset();
    await api.request('GET', '/api/users/me', { token: user.token });
    const me = await tracing.span('GET /api/users/me');
    expect(me.attributes['user.id']).toBe(user.id);
    // Reads do not go through the bus: each read-model query is a span, its SQL under it.
    const spans = tracing.spans();
    for (const query of [
      'accounts.statusOf',
      'accounts.findUser',
      'projects.listProjectSummaries',
    ]) {
      const span = spans.find((s) => s.name === query);
      expect(span && descendsFrom(span, me, spans), query).toBe(true);
      expect(spans.some((s) => parentOf(s) === span?.spanContext().spanId)).toBe(true);
    }

    await api.request('GET', '/no/such/route/123');
    const unknown = await tracing.span('GET');
    expect(unknown.attributes['http.route']).toBeUndefined();
    expect(unknown.attributes['http.response.status_code']).toBe(404);
  });
});
