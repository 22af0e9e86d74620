import { afterEach, describe, expect, test } from 'vitest';
import { call, projectsOnceSettled } from '../support/http-call.ts';
import { ServerProcess, WorkerProcess } from '../support/server-process.ts';
import { brokerEnvironment, THROUGH_BROKER } from '../support/test-broker.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

const PASSWORD = 'a good password';

describe.runIf(THROUGH_BROKER)(`a worker killed mid-stream (RabbitMQ, ${TEST_DIALECT})`, () => {
  let database: FreshDatabase | undefined;
  const processes: { kill(): Promise<void> }[] = [];

  afterEach(async () => {
    for (const process of processes.splice(0)) await process.kill();
    await database?.drop();
    database = undefined;
  });

  test('under registration load loses nothing: after a restart every acknowledged user has exactly one starter project', async () => {
    database = await freshDatabase();
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET: 'worker-crash-test-secret-0123456789-abcdefghijklmnop',
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      MESSAGE_LEASE_SECONDS: '1',
      MESSAGE_RELAY_INTERVAL_MS: '100',
      ...brokerEnvironment(database.url),
    };
    const api = await ServerProcess.start(env, { withWorker: false });
    const doomed = WorkerProcess.start(env);
    processes.push(api, doomed);
    await Promise.all([api.ready(), doomed.ready()]);

    const acknowledged: string[] = [];
    let running = true;
    const client = async (n: number) => {
      for (let i = 0; running; i++) {
        const email = `load-${n}-${i}@example.com`;
        const answer = await call(api.url, 'POST', '/api/users', { email, password: PASSWORD });
        if (answer.status === 201) acknowledged.push(email);
      }
    };
    const clients = Promise.all([0, 1, 2, 3].map(client));
    // Killed at a random moment once the stream is under way.
    const deadline = Date.now() + 30_000;
    while (acknowledged.length < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_000));
    await doomed.kill();
    const killedAt = acknowledged.length;
    // Registrations go on while no worker runs: their messages wait in the queues.
    while (acknowledged.length < killedAt + 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    running = false;
    await clients;

    const restarted = WorkerProcess.start(env);
    processes.push(restarted);
    await restarted.ready();

    for (const email of acknowledged) {
      expect(await projectsOnceSettled(api.url, email, PASSWORD), email).toBe(1);
    }
  });
});
