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
    const handler = await tracing.span('projects.giveNewUserAnExampleProject');
    const spans = tracing.spans();
    const traceId = http.spanContext().traceId;
    const named = (name: string) => spans.filter((span) => span.name === name);

    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.attributes).toMatchObject({
      'http.route': '/api/users',
      'http.response.status_code': 201,
    });
    const [command] = named('accounts.RegisterUser');
    expect(command && parentOf(command)).toBe(http.spanContext().spanId);

    // Its SQL: the user's INSERT, as text with placeholders, under the command.
    const insertUser = spans.find(
      (span) => span.name === 'INSERT accounts.users' || span.name === 'INSERT accounts_users',
    );
    expect(insertUser, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(insertUser?.kind).toBe(SpanKind.CLIENT);
    expect(String(insertUser?.attributes['db.query.text'])).toMatch(/insert into/i);
    expect(String(insertUser?.attributes['db.query.text'])).not.toContain('@');
    expect(descendsFrom(insertUser as never, command as never, spans)).toBe(true);

    // The outbox write, inside the command's transaction, and the hash around the password.
    const [outboxWrite] = named('send accounts.outbox');
    expect(outboxWrite?.kind).toBe(SpanKind.PRODUCER);
    expect(descendsFrom(outboxWrite as never, command as never, spans)).toBe(true);
    expect(named('password hash')).toHaveLength(1);

    // The handler ran from the message: its consumer span is the child of the outbox write.
    const [consumer] = named('process accounts.UserAccountCreated');
    expect(consumer?.kind).toBe(SpanKind.CONSUMER);
    expect(consumer && parentOf(consumer)).toBe(outboxWrite?.spanContext().spanId);
    expect(parentOf(handler)).toBe(consumer?.spanContext().spanId);
    expect(named('projects.CreateExampleProject')).toHaveLength(1);

    // All of it one trace.
    for (const span of [command, outboxWrite, consumer, handler, insertUser]) {
      expect(span?.spanContext().traceId).toBe(traceId);
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
