import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FakePasswordHasher } from '../../src/accounts/application/testing/fake-password-hasher.ts';
import { RegisterUser } from '../../src/accounts/module.ts';
import { type App, buildApp } from '../../src/app.ts';
import { projectCount } from '../support/outbox-rows.ts';
import { WorkerProcess } from '../support/server-process.ts';
import { brokerEnvironment, THROUGH_BROKER } from '../support/test-broker.ts';
import { testConfig } from '../support/test-config.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

const TRANSPORT = THROUGH_BROKER ? 'RabbitMQ' : 'in process';

describe(`three worker processes racing over the outboxes (${TEST_DIALECT}, ${TRANSPORT})`, () => {
  let database: FreshDatabase | undefined;
  let app: App | undefined;
  let mail: string | undefined;
  const workers: WorkerProcess[] = [];

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    await app?.http.close();
    await database?.drop();
    if (mail) await rm(mail, { recursive: true, force: true });
  });

  test('deliver each message once: one starter project and one welcome email per user', async () => {
    database = await freshDatabase();
    mail = await mkdtemp(join(tmpdir(), 'taskflow-race-mail-'));
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      JWT_SECRET: 'relay-race-test-secret-0123456789-abcdefghijklmnopq',
      MESSAGE_RELAY_INTERVAL_MS: '50',
      MAIL_DIR: mail,
      ...(THROUGH_BROKER && brokerEnvironment(database.url)),
    };
    workers.push(WorkerProcess.start(env), WorkerProcess.start(env), WorkerProcess.start(env));
    await Promise.all(workers.map((worker) => worker.ready()));
    // The registrations' process hands nothing on itself (its relay is stopped): every message
    // is left to the three workers' polls, free once its writer's short claim ran out.
    const base = testConfig();
    app = await buildApp(
      testConfig({ databaseUrl: database.url, messages: { ...base.messages, leaseMs: 100 } }),
      { hasher: new FakePasswordHasher() },
    );
    await app.messaging.relay.stop();

    const emails = Array.from({ length: 30 }, (_, i) => `racer${i}@example.com`);
    const ids: string[] = [];
    for (const email of emails) {
      ids.push((await app.bus.execute(RegisterUser, { email, password: 'a good password' })).id);
    }

    const deadline = Date.now() + 30_000;
    // Through RabbitMQ an empty outbox means published, not yet handled: wait for the effects.
    const settled = async () => {
      const stats = await app?.messaging.relay.stats();
      const pending = stats?.reduce((sum, s) => sum + s.pending, 0);
      const sent = (await welcomeEmails(mail as string)).length;
      if (pending !== 0 || sent < emails.length) return false;
      for (const id of ids) {
        if ((await projectCount((app as App).database, id)) === 0) return false;
      }
      return true;
    };
    while (!(await settled()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const sent = await welcomeEmails(mail);
    for (const [i, email] of emails.entries()) {
      expect(await projectCount(app.database, ids[i] as string), email).toBe(1);
      expect(
        sent.filter((to) => to === email),
        email,
      ).toHaveLength(1);
    }
    expect(sent).toHaveLength(emails.length);
    // SIGTERM: each stops taking messages, finishes what it holds, exits cleanly.
    const exitCodes = await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    expect(exitCodes).toEqual([0, 0, 0]);
  });
});

/** The recipient of every welcome email the workers wrote to `directory`. */
async function welcomeEmails(directory: string): Promise<string[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.eml'));
  const recipients = [];
  for (const file of files) {
    const text = await readFile(join(directory, file), 'utf8');
    recipients.push(/^To: (.+)$/m.exec(text)?.[1]?.trim() ?? '');
  }
  return recipients;
}
