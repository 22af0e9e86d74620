import { afterAll, beforeAll, expect, test } from 'vitest';
import { FakePasswordHasher } from '../../src/accounts/application/testing/fake-password-hasher.ts';
import { RegisterUser } from '../../src/accounts/module.ts';
import { type App, buildApp } from '../../src/app.ts';
import type { EmailMessage, Mailer } from '../../src/building-blocks/application/mailer.ts';
import { eventually } from '../support/eventually.ts';
import { inMemoryTracing, parentOf } from '../support/in-memory-tracing.ts';
import { outboxRows } from '../support/outbox-rows.ts';
import { testConfig } from '../support/test-config.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

/** Fails its first email: the welcome email's delivery is left to the relay's poll. */
class MailerDownOnce implements Mailer {
  #calls = 0;
  async send(_message: EmailMessage): Promise<void> {
    if (++this.#calls === 1) throw new Error('mail server down');
  }
}

let fresh: FreshDatabase;
let app: App;
let tracing: Awaited<ReturnType<typeof inMemoryTracing>>;

beforeAll(async () => {
  tracing = await inMemoryTracing();
  fresh = await freshDatabase();
  const config = testConfig({
    databaseUrl: fresh.url,
    messages: { ...testConfig().messages, retryFirstDelayMs: 0, retryMaxDelayMs: 0 },
  });
  app = await buildApp(config, {
    mailer: new MailerDownOnce(),
    hasher: new FakePasswordHasher(),
    tracer: tracing.tracer,
  });
});
afterAll(async () => {
  await app.http.close();
  await fresh.drop();
});

test(`a message delivered later by the relay's poll joins the trace that wrote it (${TEST_DIALECT})`, async () => {
  await app.bus.execute(RegisterUser, { email: 'late@example.com', password: 'a good password' });
  const producer = await tracing.span('send accounts.outbox');
  // The trace context is stored with the message, in the table.
  const [row] = await outboxRows(app.database, 'accounts');
  expect(JSON.parse(row?.headers ?? '{}').traceparent).toBe(
    `00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01`,
  );
  // The registration is answered before the email; its failure is recorded just after.
  await eventually(
    async () => Number((await outboxRows(app.database, 'accounts'))[0]?.attempts) === 1,
  );
  tracing.reset();

  // Outside any request or span, as a poll runs: the failed handler gets its message again.
  await app.messaging.relay.pollOnce();

  const consumer = await tracing.span('process accounts.UserAccountCreated');
  const handler = await tracing.span('accounts.sendWelcomeEmail');
  expect(consumer.attributes['taskflow.message.attempt']).toBe(2);
  expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
  expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
  expect(parentOf(handler)).toBe(consumer.spanContext().spanId);
});
