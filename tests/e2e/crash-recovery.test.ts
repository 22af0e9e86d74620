import { afterEach, describe, expect, test } from 'vitest';
import { projectsOnceSettled } from '../support/http-call.ts';
import { ServerProcess } from '../support/server-process.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

const PASSWORD = 'a good password';

/** The service with a short claim and a quick poll: what a crash leaves is picked up soon. */
const environment = (database: FreshDatabase, extra: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  DATABASE_URL: database.url,
  JWT_SECRET: 'crash-recovery-test-secret-0123456789-abcdefghijklmnop',
  LOG_LEVEL: 'warn',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  MESSAGE_LEASE_SECONDS: '1',
  MESSAGE_RELAY_INTERVAL_MS: '100',
  ...extra,
});

describe(`a crash after a registration's COMMIT (${TEST_DIALECT})`, () => {
  let database: FreshDatabase | undefined;
  const servers: ServerProcess[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
    await database?.drop();
    database = undefined;
  });

  test('killed before the handlers ran: restarted, the user gets exactly one starter project', async () => {
    database = await freshDatabase();
    const doomed = await ServerProcess.start(
      environment(database, { TASKFLOW_FAILPOINT: 'kill-after-commit' }),
    );
    servers.push(doomed);
    await doomed.ready();

    const answer = await fetch(`${doomed.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'crashed@example.com', password: PASSWORD }),
    }).catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(Error); // the process died before it could answer
    expect(await doomed.exited()).toBeNull(); // ended by a signal, not an exit

    const restarted = await ServerProcess.start(environment(database));
    servers.push(restarted);
    await restarted.ready();

    expect(await projectsOnceSettled(restarted.url, 'crashed@example.com', PASSWORD)).toBe(1);
  });

  test('killed at a random moment under registration load: every acknowledged user gets exactly one', async () => {
    database = await freshDatabase();
    const first = await ServerProcess.start(environment(database));
    servers.push(first);
    await first.ready();

    const acknowledged: string[] = [];
    let running = true;
    const client = async (worker: number) => {
      for (let i = 0; running; i++) {
        const email = `load-${worker}-${i}@example.com`;
        const ok = await fetch(`${first.url}/api/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: PASSWORD }),
        })
          .then((response) => response.status === 201)
          .catch(() => false);
        if (ok) acknowledged.push(email);
      }
    };
    const clients = Promise.all([0, 1, 2, 3].map(client));
    // Killed at a random moment once the load is under way (a few registrations answered).
    const deadline = Date.now() + 30_000;
    while (acknowledged.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_000));
    await first.kill();
    running = false;
    await clients;
    expect(acknowledged.length).toBeGreaterThan(0);

    const restarted = await ServerProcess.start(environment(database));
    servers.push(restarted);
    await restarted.ready();

    for (const email of acknowledged) {
      expect(await projectsOnceSettled(restarted.url, email, PASSWORD), email).toBe(1);
    }
  });
});
