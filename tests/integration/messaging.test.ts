import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { FakePasswordHasher } from '../../src/accounts/application/testing/fake-password-hasher.ts';
import { RegisterUser } from '../../src/accounts/module.ts';
import { type App, buildApp } from '../../src/app.ts';
import type { DomainEvent } from '../../src/building-blocks/domain/domain-event.ts';
import { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import { messageContract } from '../../src/building-blocks/messaging/contract.ts';
import type { Config } from '../../src/config.ts';
import { exampleProject } from '../../src/projects/domain/example-project.ts';
import { KyselyProjectRepository } from '../../src/projects/infrastructure/kysely-project-repository.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import { parseUserId } from '../../src/shared-kernel/domain/user-id.ts';
import { eventually } from '../support/eventually.ts';
import {
  asMessage,
  type OutboxRow,
  outboxRows,
  outboxRowsAt,
  projectCount,
} from '../support/outbox-rows.ts';
import { RecordingMailer, StalledMailer } from '../support/recording-mailer.ts';
import { testConfig } from '../support/test-config.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

// The relay polls only when a test says so; retries are due at once.
const messages: Config['messages'] = {
  maxAttempts: 3,
  retryFirstDelayMs: 0,
  retryMaxDelayMs: 0,
  relayIntervalMs: 3_600_000,
  relayConcurrency: 4,
  leaseMs: 30_000,
  retentionMs: 3_600_000,
};

let fresh: FreshDatabase | undefined;
const apps: App[] = [];

async function start(mailer = new RecordingMailer(), count = 1) {
  fresh ??= await freshDatabase();
  const url = fresh.url;
  const started: App[] = [];
  for (let i = 0; i < count; i++) {
    const config = testConfig({ databaseUrl: url, messages });
    started.push(await buildApp(config, { mailer, hasher: new FakePasswordHasher() }));
  }
  apps.push(...started);
  return { apps: started, app: started[0] as App, mailer };
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.http.close();
  await fresh?.drop();
  fresh = undefined;
});

async function register(app: App, email: string): Promise<string> {
  const user = await app.bus.execute(RegisterUser, { email, password: 'a good password' });
  return user.id;
}

describe(`messages through the outbox (${TEST_DIALECT})`, () => {
  test('a registration leaves one processed message, one starter project and one welcome email', async () => {
    const { app, mailer } = await start();
    const userId = await register(app, 'ada@example.com');

    // The starter project at once; the email, and so the message's mark, may come just after.
    expect(await projectCount(app.database, userId)).toBe(1);
    await eventually(async () => (await onlyRow(app, 'accounts')).processed_at !== null);
    const row = await onlyRow(app, 'accounts');
    expect(row).toMatchObject({ type: 'accounts.UserAccountCreated', attempts: 0 });
    expect(Number(row.version)).toBe(1);
    expect(JSON.parse(row.payload)).toMatchObject({ userId, email: 'ada@example.com' });
    expect(JSON.parse(row.headers)).toEqual({});
    expect(mailer.to('ada@example.com')).toHaveLength(1);
  });

  test('the same message delivered again changes nothing', async () => {
    const { app, mailer } = await start();
    const userId = await register(app, 'bob@example.com');
    const [row] = await outboxRows(app.database, 'accounts');
    const message = asMessage(row as NonNullable<typeof row>, 'accounts');

    await app.messaging.consumer.deliver(message);
    await app.messaging.consumer.deliver(message);

    expect(await projectCount(app.database, userId)).toBe(1);
    expect(mailer.to('bob@example.com')).toHaveLength(1);
  });
});

describe(`a process that stops (${TEST_DIALECT})`, () => {
  test('frees the messages a last unit of work writes: another process takes them at its next poll, not after the lease', async () => {
    const {
      apps: [stopping, other],
    } = await start(new RecordingMailer(), 2);
    await stopping?.messaging.relay.stop();

    const userId = await register(stopping as App, 'late@example.com');

    const row = await onlyRow(stopping as App, 'accounts');
    expect(row.processed_at).toBeNull();
    expect(row.locked_until).toBeNull();
    await other?.messaging.relay.pollOnce();
    expect(await projectCount((other as App).database, userId)).toBe(1);
  });
});

/** The one message in `context`'s outbox. */
async function onlyRow(app: App, context: string): Promise<OutboxRow> {
  const [row, ...others] = await outboxRows(app.database, context);
  expect(others).toEqual([]);
  return row as OutboxRow;
}

describe(`a mail server that stalls (${TEST_DIALECT})`, () => {
  const mailers: StalledMailer[] = [];
  const stalledMailer = () => {
    const mailer = new StalledMailer();
    mailers.push(mailer);
    return mailer;
  };
  // A test that failed leaves no email holding the app's close.
  afterEach(() => {
    for (const mailer of mailers.splice(0)) mailer.release();
  });

  // The mail server stalls for as long as the test: a registration that waited for it would
  // run out of the few seconds given.
  test('a registration is answered at once, with its starter project; the email goes once the server answers', {
    timeout: 5_000,
  }, async () => {
    const mailer = stalledMailer();
    const { app } = await start(mailer);

    const registered = await app.http.inject({
      method: 'POST',
      url: '/api/users',
      payload: { email: 'ada@example.com', password: 'a good password' },
    });
    expect(registered.statusCode).toBe(201);
    const login = await app.http.inject({
      method: 'POST',
      url: '/api/users/login',
      payload: { email: 'ada@example.com', password: 'a good password' },
    });
    const me = await app.http.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: `Bearer ${login.json().access_token}` },
    });
    expect(me.json().projects).toHaveLength(1);
    // The email is under way, and its message not marked: it is not delivered yet.
    await eventually(() => mailer.waiting === 1);
    expect((await onlyRow(app, 'accounts')).processed_at).toBeNull();

    mailer.release();
    await eventually(async () => (await onlyRow(app, 'accounts')).processed_at !== null);
    expect(mailer.to('ada@example.com')).toHaveLength(1);
    expect(await onlyRow(app, 'accounts')).toMatchObject({ attempts: 0, dead_at: null });
  });

  test('stopping waits for the email under way, then marks its message', {
    timeout: 5_000,
  }, async () => {
    const mailer = stalledMailer();
    const { app } = await start(mailer);
    await register(app, 'grace@example.com');
    await eventually(() => mailer.waiting === 1);

    // The relay is told to stop while the email is under way; then the server answers.
    apps.splice(apps.indexOf(app), 1);
    const stopping = vi.spyOn(app.messaging.relay, 'stop');
    const closed = app.http.close();
    await eventually(() => stopping.mock.calls.length > 0);
    mailer.release();
    await closed;

    expect(mailer.to('grace@example.com')).toHaveLength(1);
    // The app's connections are closed: read the outbox on a new one.
    const [row] = await outboxRowsAt(fresh?.url as string, 'accounts');
    expect(row?.processed_at).not.toBeNull();
  });
});

type Ping = DomainEvent<'test.Ping', { ownerId: string }>;
const PingV1 = messageContract<Ping>('test.Ping', 1, z.object({ ownerId: z.uuid() }));
const OWNER = '01900000-0000-7000-8000-000000000001';

/** A projects unit of work that can also record a Ping, and a handler of Ping that fails on cue. */
function pingBench(app: App) {
  const uow = new KyselyUnitOfWork<
    ProjectsTables,
    { projects: KyselyProjectRepository; record(event: DomainEvent): void }
  >(
    app.database,
    (trx, tracker) => ({
      projects: new KyselyProjectRepository(trx, tracker),
      record: (event) => tracker.track({ pullEvents: () => [event] }),
    }),
    app.messaging.outboxOf('projects', [PingV1]),
  );
  const handler = { calls: 0, failUntil: 0 };
  app.messaging.handlers.subscribe(
    PingV1,
    { context: 'projects', name: 'testPing', inbox: 'unit-of-work' },
    async (event) => {
      handler.calls += 1;
      await uow.run(async ({ projects }) => {
        const ownerId = parseUserId(event.payload.ownerId);
        await projects.add(
          exampleProject({ id: await projects.nextId(), ownerId, registeredAt: new Date() }),
        );
        if (handler.calls <= handler.failUntil) throw new Error(`ping failure ${handler.calls}`);
      });
    },
  );
  const ping = (payload: unknown) =>
    uow.run(async ({ record }) => record({ type: 'test.Ping', payload }));
  return { handler, ping };
}

describe(`retries and dead letters (${TEST_DIALECT})`, () => {
  test('a handler that fails twice then succeeds takes effect once', async () => {
    const { app } = await start();
    const { handler, ping } = pingBench(app);
    handler.failUntil = 2;

    await ping({ ownerId: OWNER }); // delivered after COMMIT: fails (1)
    await app.messaging.relay.pollOnce(); // fails (2)
    await app.messaging.relay.pollOnce(); // succeeds

    expect(handler.calls).toBe(3);
    expect(await projectCount(app.database, OWNER)).toBe(1);
    const [row] = await outboxRows(app.database, 'projects');
    expect(row).toMatchObject({ type: 'test.Ping', attempts: 2, dead_at: null });
    expect(row?.processed_at).not.toBeNull();
  });

  test('one that always fails is dead-lettered with its error, and redriven once fixed', async () => {
    const { app } = await start();
    const { handler, ping } = pingBench(app);
    handler.failUntil = Number.POSITIVE_INFINITY;

    await ping({ ownerId: OWNER });
    await app.messaging.relay.pollOnce();
    await app.messaging.relay.pollOnce();
    await app.messaging.relay.pollOnce(); // nothing left to try

    expect(handler.calls).toBe(3);
    const outbox = app.messaging.outboxes.find((o) => o.context === 'projects');
    const [dead] = (await outbox?.deadLetters()) ?? [];
    expect(dead).toMatchObject({ type: 'test.Ping', attempts: 3 });
    expect(dead?.error).toContain('ping failure 3');
    expect(await outbox?.stats(new Date())).toMatchObject({ pending: 0, dead: 1 });
    expect(await projectCount(app.database, OWNER)).toBe(0);

    handler.failUntil = 0;
    expect(await outbox?.redrive(dead?.id as string, new Date())).toBe(1);
    await app.messaging.relay.pollOnce();
    await app.messaging.relay.pollOnce();

    expect(await projectCount(app.database, OWNER)).toBe(1);
    expect(await outbox?.stats(new Date())).toMatchObject({ pending: 0, dead: 0 });
  });

  test('a dead letter redriven after the retention period is not taken again by the handlers that had taken it', async () => {
    const { app } = await start();
    const { handler, ping } = pingBench(app);
    let counted = 0; // a handler outside any transaction, like the welcome email's
    app.messaging.handlers.subscribe(
      PingV1,
      { context: 'projects', name: 'countPing', inbox: 'outside' },
      async () => {
        counted += 1;
      },
    );
    handler.failUntil = Number.POSITIVE_INFINITY;
    await ping({ ownerId: OWNER });
    // The ping returns before `countPing`, outside, is done; the failure is recorded after it.
    await eventually(async () => Number((await onlyRow(app, 'projects')).attempts) === 1);
    await app.messaging.relay.pollOnce();
    await app.messaging.relay.pollOnce();
    const outbox = app.messaging.outboxes.find((o) => o.context === 'projects');
    const [dead] = (await outbox?.deadLetters()) ?? [];
    expect(counted).toBe(1);

    // The housekeeping of a week later: the message is dead, not processed.
    const aWeekLater = new Date(Date.now() + 7 * 24 * 3_600_000);
    expect(await outbox?.purge(aWeekLater)).toBe(0);
    handler.failUntil = 0;
    await outbox?.redrive(dead?.id as string, new Date());
    await app.messaging.relay.pollOnce();

    expect(await projectCount(app.database, OWNER)).toBe(1);
    expect(counted).toBe(1);
    // Processed at last: the message and its inbox rows go with the next purge.
    await outbox?.purge(aWeekLater);
    expect(await outbox?.holds(dead?.id as string)).toBe(false);
    expect(await outbox?.hasDelivery(dead?.id as string, 'countPing')).toBe(false);
  });

  test('a payload that does not parse with its contract is dead-lettered at once, with the reason', async () => {
    const { app } = await start();
    const { handler, ping } = pingBench(app);

    await ping({ ownerId: 'not-a-uuid' });

    expect(handler.calls).toBe(0);
    const [row] = await outboxRows(app.database, 'projects');
    expect(row?.dead_at).not.toBeNull();
    expect(Number(row?.attempts)).toBe(1);
    expect(row?.last_error).toMatch(/does not match test\.Ping v1: ownerId/);
  });
});
