import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrations } from '../../src/app.ts';
import { migrateToLatest } from '../../src/building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { AmqpTopology } from '../../src/building-blocks/messaging/amqp/amqp-topology.ts';
import { SqlOutbox } from '../../src/building-blocks/messaging/sql-outbox.ts';
import { outboxRows } from '../support/outbox-rows.ts';
import {
  brokerUnavailable,
  removeBrokerNamespace,
  TEST_BROKER_URL,
  THROUGH_BROKER,
} from '../support/test-broker.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';
import { testOutbox } from '../support/test-outbox.ts';

describe(`npm run messages (${TEST_DIALECT})`, () => {
  let fresh: FreshDatabase;
  let deadId: string;

  const messages = (...args: string[]) => {
    const result = spawnSync(process.execPath, ['src/cli.ts', 'messages', ...args], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: fresh.url },
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    fresh = await freshDatabase();
    const database = openDatabase(fresh.url, { poolSize: 2 });
    try {
      await migrateToLatest(database, ...migrations);
      // Two messages in the projects outbox: one pending, one dead.
      const outbox = testOutbox(database, 'projects');
      await database.transaction((tx) =>
        outbox.store(tx, [
          { type: 'projects.Pending', payload: {} },
          { type: 'projects.Doomed', payload: {} },
        ]),
      );
      const doomed = (await outboxRows(database, 'projects'))[1];
      deadId = doomed?.id as string;
      await new SqlOutbox(database, 'projects').markFailed(deadId, {
        attempts: 1,
        error: 'Error: the handler always fails',
        nextAttemptAt: new Date(),
        deadAt: new Date(),
      });
    } finally {
      await database.close();
    }
  });
  afterAll(() => fresh?.drop());

  test('stats counts pending and dead messages per context', () => {
    const result = messages('stats', '--json');
    expect(result.status, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout);
    expect(stats).toContainEqual(
      expect.objectContaining({ context: 'projects', pending: 1, dead: 1 }),
    );
    expect(stats).toContainEqual(
      expect.objectContaining({ context: 'accounts', pending: 0, dead: 0 }),
    );
  });

  test('dead-letters lists each with its attempts and error', () => {
    const result = messages('dead-letters');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(deadId);
    expect(result.stdout).toContain('projects.Doomed');
    expect(result.stdout).toContain('1 attempts');
    expect(result.stdout).toContain('the handler always fails');
  });

  test('redrive refuses a malformed or unknown id, in one line', () => {
    const malformed = messages('redrive', 'not-an-id');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr.trim()).toBe('not-an-id is not a message id (a UUID).');
    const unknown = messages('redrive', '01900000-0000-7000-8000-000000000000');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No dead letter has the id');
  });

  test('redrive puts a dead letter back in line (its id in any case)', () => {
    const result = messages('redrive', deadId.toUpperCase());
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Redriven: 1 message(s)');
    const stats = JSON.parse(messages('stats', '--json').stdout);
    expect(stats).toContainEqual(
      expect.objectContaining({ context: 'projects', pending: 2, dead: 0 }),
    );
    expect(messages('redrive', '--all').stdout).toContain('Redriven: 0 message(s)');
  });
});

describe('npm run messages on a database that is not the service’s', () => {
  const run = (databaseUrl: string) =>
    spawnSync(process.execPath, ['src/cli.ts', 'messages', 'stats'], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl },
      encoding: 'utf8',
    });

  test('a SQLite file that does not exist: one line, and no file made', () => {
    const path = join(tmpdir(), `no-such-${randomUUID()}.db`);

    const result = run(`sqlite:${path}`);

    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `There is no SQLite database at ${path}: check DATABASE_URL (the service creates it when it first starts).`,
    );
    expect(existsSync(path)).toBe(false);
  });

  test('a database never migrated: one line that says what to do', async () => {
    const fresh = await freshDatabase();
    try {
      const database = openDatabase(fresh.url, { poolSize: 1 });
      await database.ping(); // SQLite makes its file on first use
      await database.close();

      const result = run(fresh.url);

      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(
        'This database has no outboxes yet: start the service once, or run `npm run migrate`.',
      );
    } finally {
      await fresh.drop();
    }
  });
});

const brokerAbsent = THROUGH_BROKER ? 'run by the e2e projects' : await brokerUnavailable();

describe.skipIf(brokerAbsent)(`npm run messages with a broker (${TEST_DIALECT})`, () => {
  let fresh: FreshDatabase;
  const namespace = `taskflow-test-cli-${randomUUID()}`;
  const deadLetters = `${namespace}.dead-letters`;

  const stats = (brokerUrl = TEST_BROKER_URL as string) =>
    spawnSync(process.execPath, ['src/cli.ts', 'messages', 'stats'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: fresh.url,
        BROKER_URL: brokerUrl,
        BROKER_NAMESPACE: namespace,
      },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    fresh = await freshDatabase();
    const database = openDatabase(fresh.url, { poolSize: 1 });
    try {
      await migrateToLatest(database, ...migrations);
    } finally {
      await database.close();
    }
  });
  afterAll(async () => {
    await removeBrokerNamespace(namespace);
    await fresh?.drop();
  });

  test("stats counts what waits in the broker's dead-letter queue, which no outbox holds", async () => {
    const before = stats();
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toContain(`(broker dead-letter queue) ${deadLetters}: 0 dead`);

    const connection = await connect(TEST_BROKER_URL as string);
    try {
      const channel = await connection.createConfirmChannel();
      const topology = new AmqpTopology(namespace, () => new Map());
      await topology.declare(channel);
      channel.publish(topology.deadLetters, '', Buffer.from('not a message anyone can read'));
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }

    const after = stats();
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).toContain('projects: 0 pending');
    expect(after.stdout).toContain(`(broker dead-letter queue) ${deadLetters}: 1 dead`);
  });

  test("a broker that does not answer: the outboxes' figures all the same, then an error", () => {
    const result = stats('amqp://guest:guest@127.0.0.1:1');

    expect(result.stdout).toContain('projects: 0 pending');
    expect(result.stderr).toContain('(broker dead-letter queue) unreachable');
    expect(result.status).not.toBe(0);
  });
});
