import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { outboxRowsAt } from '../support/outbox-rows.ts';
import { ServerProcess } from '../support/server-process.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

interface Received {
  from: string;
  to: string[];
  data: string;
}

/**
 * A real SMTP server in the test process: it keeps every message it accepts, answering the
 * end of each message after `delayMs` (a slow mail server). It greets a connection once
 * `greeting` resolves: until then it has accepted it and says nothing (a server that stalls).
 */
async function startSmtpServer(delayMs = 0, greeting: Promise<void> = Promise.resolve()) {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      void greeting.then(() => callback());
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString();
      });
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          data,
        });
        setTimeout(callback, delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    connections: () => connections,
    url: `smtp://127.0.0.1:${port}`,
    close: () => server.close(),
  };
}

/** The service as in production on `database`, sending its emails to the SMTP server at `url`. */
const sendingTo = (url: string, database: FreshDatabase) => ({
  NODE_ENV: 'production',
  DATABASE_URL: database.url,
  JWT_SECRET: 'welcome-email-test-secret-0123456789-abcdefghijklmnop',
  LOG_LEVEL: 'warn',
  AUTH_RATE_LIMIT_PER_MINUTE: '1000',
  SMTP_URL: url,
});

describe(`welcome emails through SMTP (${TEST_DIALECT})`, () => {
  let database: FreshDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let server: ServerProcess;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    database = await freshDatabase();
    server = await ServerProcess.start({
      ...sendingTo(smtp.url, database),
      MAIL_FROM: 'Taskflow <hello@taskflow.test>',
    });
    await server.ready();
  });

  afterAll(async () => {
    await server?.stop();
    smtp?.close();
    await database?.drop();
  });

  test('each registration sends one welcome email, to the new user, from MAIL_FROM', async () => {
    const emails = ['ada@example.com', 'grace@example.com', 'edsger@example.com'];
    for (const email of emails) {
      const response = await fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a good password' }),
      });
      expect(response.status, server.output).toBe(201);
    }

    const deadline = Date.now() + 10_000;
    while (smtp.received.length < emails.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(smtp.received.map((message) => message.to).sort()).toEqual(
      emails.map((email) => [email]).sort(),
    );
    for (const message of smtp.received) {
      expect(message.from).toBe('hello@taskflow.test');
      expect(message.data).toMatch(/^Subject: Welcome to Taskflow/m);
    }
  });
});

// A send that outlasts the claim on its message (MESSAGE_LEASE_SECONDS) must not let another
// process's relay take the message and send the email again meanwhile.
describe(`a mail server slower than the outbox lease, two processes (${TEST_DIALECT})`, () => {
  let database: FreshDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer(5_000);
    database = await freshDatabase();
    for (let i = 0; i < 2; i++) {
      servers.push(
        await ServerProcess.start({
          ...sendingTo(smtp.url, database),
          MESSAGE_LEASE_SECONDS: '2',
          MESSAGE_RELAY_INTERVAL_MS: '100',
        }),
      );
    }
    await Promise.all(servers.map((server) => server.ready()));
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    smtp?.close();
    await database?.drop();
  });

  test('each new user gets one welcome email, not one per process', async () => {
    const emails = ['slow-ada@example.com', 'slow-grace@example.com'];
    await Promise.all(
      emails.map((email) =>
        fetch(`${servers[0]?.url}/api/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'a good password' }),
        }),
      ),
    );
    const deadline = Date.now() + 20_000;
    while (smtp.received.length < emails.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Long enough for a second send, had another relay started one, to have been accepted.
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    for (const email of emails) {
      expect(smtp.received.filter((message) => message.to.includes(email))).toHaveLength(1);
    }
  });
});

// An SMTP server that accepts the connection and then stalls held every registration for
// the mailer's greeting timeout (10 s): a request waits for its handlers' effects in the
// database, not for an email (ADR 15).
describe(`a mail server that stalls (${TEST_DIALECT})`, () => {
  let database: FreshDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let server: ServerProcess;
  const greeting = Promise.withResolvers<void>();

  beforeAll(async () => {
    smtp = await startSmtpServer(0, greeting.promise);
    database = await freshDatabase();
    server = await ServerProcess.start({ ...sendingTo(smtp.url, database), LOG_LEVEL: 'info' });
    await server.ready();
  });

  afterAll(async () => {
    greeting.resolve();
    await server?.stop();
    smtp?.close();
    await database?.drop();
  });

  test('a registration is answered at once; stopping waits for its email, sent once', async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'stalled@example.com', password: 'a good password' }),
    });
    expect(response.status).toBe(201);
    expect(performance.now() - started).toBeLessThan(5_000);
    await eventually(() => smtp.connections() > 0); // the email is under way

    // SIGTERM while the mail server still says nothing; then it greets.
    const exited = server.stop();
    await eventually(() => server.output.includes('shutting down'));
    greeting.resolve();

    expect(await exited).toBe(0);
    expect(smtp.received.map((message) => message.to)).toEqual([['stalled@example.com']]);
    const [row] = await outboxRowsAt(database.url, 'accounts');
    expect(row?.processed_at).not.toBeNull();
  });
});
