import { type Channel, type ChannelModel, connect } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { DomainEvent } from '../../src/building-blocks/domain/domain-event.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import { fromAmqp, toAmqp } from '../../src/building-blocks/messaging/amqp/amqp-envelope.ts';
import { DEAD_REASON_HEADER } from '../../src/building-blocks/messaging/amqp/queue-deliveries.ts';
import { messageContract } from '../../src/building-blocks/messaging/contract.ts';
import { createMessaging, type Messaging } from '../../src/building-blocks/messaging/messaging.ts';
import { exampleProject } from '../../src/projects/domain/example-project.ts';
import { KyselyProjectRepository } from '../../src/projects/infrastructure/kysely-project-repository.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import { parseUserId } from '../../src/shared-kernel/domain/user-id.ts';
import { asMessage, outboxRows, projectCount } from '../support/outbox-rows.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import {
  brokerUnavailable,
  removeBrokerNamespace,
  TEST_BROKER_URL,
} from '../support/test-broker.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

const unavailable = await brokerUnavailable();
if (unavailable) console.log(`RabbitMQ transport tests skipped: ${unavailable}.`);

type Ping = DomainEvent<'test.Ping', { ownerId: string }>;
const PingV1 = messageContract<Ping>('test.Ping', 1, z.object({ ownerId: z.uuid() }));
const OWNER = '01900000-0000-7000-8000-000000000001';

let database: Database;
let dropDatabase: () => Promise<void>;
let namespace: string;
let admin: { connection: ChannelModel; channel: Channel };
const nodes: Messaging[] = [];
const proxy = TcpProxy.for(TEST_BROKER_URL ?? 'amqp://127.0.0.1:5672', 5672);

/**
 * One process's messaging on the test database and the test namespace, with a `test.Ping`
 * handler in `projects` that adds a project for the ping's owner in its unit of work; it can
 * be made to fail (`failUntil` calls) or to wait before its first call's work (`gate`).
 */
async function node(options: {
  work: boolean;
  throughProxy?: boolean;
  gate?: Promise<void>;
  heartbeatSeconds?: number;
}) {
  const url = new URL(
    options.throughProxy ? proxy.via(TEST_BROKER_URL as string) : (TEST_BROKER_URL as string),
  );
  if (options.heartbeatSeconds) url.searchParams.set('heartbeat', String(options.heartbeatSeconds));
  const infos: string[] = [];
  const warnings: string[] = [];
  const errors: { details: object; message: string }[] = [];
  const log = {
    info: (_details: object, message: string) => void infos.push(message),
    warn: (_details: object, message: string) => void warnings.push(message),
    error: (details: object, message: string) => void errors.push({ details, message }),
  };
  const messaging = createMessaging({
    database,
    contexts: ['projects'],
    log,
    broker: { url: url.toString(), namespace },
    retry: { maxAttempts: 3, firstDelayMs: 0, maxDelayMs: 0 },
    pollIntervalMs: 50,
    leaseMs: 30_000,
    retentionMs: 3_600_000,
    concurrency: 4,
  });
  nodes.push(messaging);
  const uow = new KyselyUnitOfWork<
    ProjectsTables,
    { projects: KyselyProjectRepository; record(event: DomainEvent): void }
  >(
    database,
    (trx, tracker) => ({
      projects: new KyselyProjectRepository(trx, tracker),
      record: (event) => tracker.track({ pullEvents: () => [event] }),
    }),
    messaging.outboxOf('projects', [PingV1]),
  );
  const handler = { calls: 0, failUntil: 0 };
  messaging.handlers.subscribe(
    PingV1,
    { context: 'projects', name: 'testPing', inbox: 'unit-of-work' },
    async (event) => {
      const call = ++handler.calls;
      if (call === 1 && options.gate) await options.gate;
      await uow.run(async ({ projects }) => {
        const ownerId = parseUserId(event.payload.ownerId);
        await projects.add(
          exampleProject({ id: await projects.nextId(), ownerId, registeredAt: new Date() }),
        );
        if (call <= handler.failUntil) throw new Error(`ping failure ${call}`);
      });
    },
  );
  await messaging.start({ work: options.work });
  expect(await eventually(() => isReady(messaging), Boolean), 'connected').toBe(true);
  const ping = (payload: unknown) =>
    uow.run(async ({ record }) => record({ type: 'test.Ping', payload }));
  return { messaging, handler, ping, infos, warnings, errors };
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const isReady = (messaging: Messaging) =>
  messaging.ready().then(
    () => true,
    () => false,
  );

/** The ping's outbox row (the projects its handler adds have theirs: ProjectCreated). */
async function onlyRow() {
  const rows = await outboxRows(database, 'projects');
  const [row, ...others] = rows.filter((r) => r.type === 'test.Ping');
  expect(others).toEqual([]);
  return row as NonNullable<typeof row>;
}

describe.skipIf(unavailable)(`messages through RabbitMQ (${TEST_DIALECT})`, () => {
  beforeAll(async () => {
    const connection = await connect(TEST_BROKER_URL as string);
    admin = { connection, channel: await connection.createChannel() };
  });
  afterAll(() => admin?.connection.close());

  afterEach(async () => {
    for (const messaging of nodes.splice(0)) await messaging.stop();
    await proxy.down();
    await removeBrokerNamespace(namespace);
    await dropDatabase();
  });

  // Each test: a fresh database, a namespace of its own, a proxy that can cut the broker off.
  const setUp = async () => {
    ({ database, drop: dropDatabase } = await openTestDatabase());
    namespace = `taskflow-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    await proxy.up();
  };

  test('a message leaves the outbox once the broker confirmed it; while the broker is away it waits, costing no attempt', async () => {
    await setUp();
    const { messaging, ping } = await node({ work: false, throughProxy: true });
    await proxy.down();
    expect(
      await eventually(
        () => isReady(messaging),
        (ready) => !ready,
      ),
    ).toBe(false);

    await ping({ ownerId: OWNER });

    expect(await onlyRow()).toMatchObject({ processed_at: null, attempts: 0, dead_at: null });
    await proxy.up();
    expect(await eventually(() => isReady(messaging), Boolean)).toBe(true);
    await messaging.relay.pollOnce();
    const row = await onlyRow();
    expect(row.processed_at).not.toBeNull();
    const queued = await admin.channel.get(`${namespace}.projects`, { noAck: true });
    expect(queued).not.toBe(false);
    const received = fromAmqp(queued as Exclude<typeof queued, false>);
    const { occurredAt: _, ...stored } = asMessage(row, 'projects');
    expect(received).toMatchObject(stored);
  });

  test('commands while the broker is away: each message waits in the outbox, and the relay says so once, not once per command', async () => {
    await setUp();
    const { messaging, ping, warnings } = await node({ work: false, throughProxy: true });
    await proxy.down();
    await eventually(
      () => isReady(messaging),
      (ready) => !ready,
    );

    for (let command = 0; command < 5; command++) await ping({ ownerId: OWNER });

    const rows = (await outboxRows(database, 'projects')).filter((r) => r.type === 'test.Ping');
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toMatchObject({ processed_at: null, attempts: 0, dead_at: null });
    }
    expect(
      warnings.filter((line) => line.startsWith('outbox relay: the transport is unavailable')),
    ).toHaveLength(1);
  });

  // A broker behind a network partition: the connection stays open, nothing comes back.
  test('a broker gone silent holds a command for the confirm timeout at most: the message waits in the outbox, readiness says so', async () => {
    await setUp();
    const { messaging, ping, warnings } = await node({ work: false, throughProxy: true });
    proxy.stall();

    await ping({ ownerId: OWNER }); // resolves: before, it waited for the confirm (minutes)

    expect(await onlyRow()).toMatchObject({ processed_at: null, attempts: 0, dead_at: null });
    expect(await isReady(messaging)).toBe(false);
    expect(warnings).toContain(
      'the message broker did not confirm a message in time; reconnecting',
    );
  }, 15_000);

  test('a connection gone silent is given up and made again: ready once more, and the message that waited is delivered', async () => {
    await setUp();
    // Heartbeats every 3 s: the publish's confirm times out first (5 s) and the connection's
    // close waits for an answer that never comes; the heartbeat then gives the connection up
    // (~6-9 s after the silence, not ~20-30 s as with the default).
    const { messaging, ping, handler, warnings } = await node({
      work: true,
      throughProxy: true,
      heartbeatSeconds: 3,
    });
    proxy.stall(); // the connection made so far hears nothing more; new ones pass

    await ping({ ownerId: OWNER }); // no confirm: the message waits in the outbox
    expect(await isReady(messaging)).toBe(false);
    expect(warnings).toContain(
      'the message broker did not confirm a message in time; reconnecting',
    );

    expect(await eventually(() => isReady(messaging), Boolean), 'connected again').toBe(true);
    const row = await eventually(onlyRow, (r) => r.processed_at !== null);
    expect(row).toMatchObject({ attempts: 0, dead_at: null });
    expect(row.processed_at).not.toBeNull();
    expect(
      await eventually(
        async () => handler.calls,
        (calls) => calls > 0,
      ),
    ).toBe(1);
  }, 30_000);

  test('a broker outage is logged when it begins and when it ends, not at each reconnection attempt', async () => {
    await setUp();
    const { messaging, infos, warnings } = await node({ work: false, throughProxy: true });

    proxy.refuse(); // the connection ends, and each attempt to make it again is turned away
    await eventually(
      async () => proxy.refused,
      (attempts) => attempts >= 2,
    );
    await proxy.up();

    expect(await eventually(() => isReady(messaging), Boolean), 'connected again').toBe(true);
    expect(proxy.refused).toBeGreaterThanOrEqual(2);
    // The loss, and at most one line more: the first refused attempt's cause, when it is not
    // the loss's own (every attempt is refused alike).
    expect(warnings[0]).toBe(
      'message broker connection lost; reconnecting quietly until it is back',
    );
    expect(warnings.slice(1)).toEqual(
      warnings.length > 1 ? ['message broker still not connected; retrying quietly'] : [],
    );
    expect(infos).toEqual(['message broker connected', 'message broker connected again']);
  }, 30_000);

  test("the outbox message's headers (trace context) cross the broker unchanged", async () => {
    await setUp();
    await node({ work: false });
    const sent = {
      ...asMessage((await outboxRows(database, 'projects'))[0] ?? fakeRow(), 'projects'),
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    };
    const { content, options } = toAmqp(sent);

    admin.channel.publish(`${namespace}.events`, 'test.Ping', content, options);

    const got = await eventually(
      () => admin.channel.get(`${namespace}.projects`, { noAck: true }),
      (message) => message !== false,
    );
    expect(fromAmqp(got as Exclude<typeof got, false>)).toEqual(sent);
  });

  test('a worker that dies while its handler runs has not acknowledged: the message is delivered again, and takes effect once', async () => {
    await setUp();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const dying = await node({ work: true, throughProxy: true, gate });
    await dying.ping({ ownerId: OWNER });
    await eventually(
      async () => dying.handler.calls,
      (calls) => calls === 1,
    );

    await proxy.down(); // the worker's connection dies with the delivery unacknowledged
    const survivor = await node({ work: true });

    expect(
      await eventually(
        () => projectCount(database, OWNER),
        (n) => n === 1,
      ),
    ).toBe(1);
    release(); // the first worker's handler finally runs: the inbox holds it back
    await eventually(
      async () => dying.handler.calls,
      () => true,
    );
    expect(survivor.handler.calls).toBe(1);
    expect(await projectCount(database, OWNER)).toBe(1);
  });

  test('the same message delivered again by the broker changes nothing', async () => {
    await setUp();
    const { handler, ping } = await node({ work: true });
    await ping({ ownerId: OWNER });
    await eventually(
      () => projectCount(database, OWNER),
      (n) => n === 1,
    );
    const { content, options } = toAmqp(asMessage(await onlyRow(), 'projects'));

    admin.channel.publish(`${namespace}.events`, 'test.Ping', content, options);
    admin.channel.publish(`${namespace}.events`, 'test.Ping', content, options);

    await eventually(
      async () => handler.calls,
      (calls) => calls === 3,
    );
    expect(handler.calls).toBe(3);
    expect(await projectCount(database, OWNER)).toBe(1);
  });

  test('a handler that fails twice is retried through the outbox and takes effect once', async () => {
    await setUp();
    const { handler, ping } = await node({ work: true });
    handler.failUntil = 2;

    await ping({ ownerId: OWNER });

    expect(
      await eventually(
        () => projectCount(database, OWNER),
        (n) => n === 1,
      ),
    ).toBe(1);
    // Published again after each failure; processed once the third delivery succeeded.
    const row = await eventually(onlyRow, (r) => r.processed_at !== null && r.attempts > 0);
    expect(row).toMatchObject({ attempts: 2, dead_at: null });
    expect(handler.calls).toBe(3);
    expect(await projectCount(database, OWNER)).toBe(1);
  });

  test('a payload that does not parse with its contract is dead-lettered on its outbox row, with the reason', async () => {
    await setUp();
    const { handler, ping } = await node({ work: true });

    await ping({ ownerId: 'not-a-uuid' });

    const row = await eventually(onlyRow, (r) => r.dead_at !== null);
    expect(row.last_error).toMatch(/does not match test\.Ping v1: ownerId/);
    expect(handler.calls).toBe(0);
  });

  test('a message of a type its queue has no handler for is acknowledged, with a warning', async () => {
    await setUp();
    const { handler, warnings } = await node({ work: true });
    const { content, options } = toAmqp({
      id: '01900000-0000-7000-8000-0000000000bb',
      context: 'projects',
      type: 'test.Unknown',
      version: 1,
      payload: { ownerId: OWNER },
      headers: {},
      occurredAt: new Date(),
      attempts: 0,
    });

    admin.channel.sendToQueue(`${namespace}.projects`, content, options);

    const warned = await eventually(
      async () => warnings,
      (lines) => lines.some((line) => line.startsWith('a message no handler of this queue takes')),
    );
    expect(warned.some((line) => line.startsWith('a message no handler of this queue takes'))).toBe(
      true,
    );
    const queue = await admin.channel.checkQueue(`${namespace}.projects`);
    expect(queue.messageCount).toBe(0);
    expect(handler.calls).toBe(0);
  });

  test('a delivery that is not a message of ours goes to the dead-letter queue with the reason', async () => {
    await setUp();
    const { handler, errors } = await node({ work: true });

    admin.channel.publish(`${namespace}.events`, 'test.Ping', Buffer.from('{not json'), {
      messageId: 'garbage',
    });

    const dead = await eventually(
      () => admin.channel.get(`${namespace}.dead-letters`, { noAck: true }),
      (message) => message !== false,
    );
    expect(dead).not.toBe(false);
    const reason = (dead as Exclude<typeof dead, false>).properties.headers?.[DEAD_REASON_HEADER];
    expect(reason).toMatch(/UnreadableMessage: not a Taskflow message: messageId/);
    expect(handler.calls).toBe(0);
    // The log line names the queue it came from, not the routing key.
    expect(errors).toContainEqual({
      details: expect.objectContaining({ queue: 'projects', routingKey: 'test.Ping' }),
      message: 'message dead-lettered to the broker',
    });
  });
});

function fakeRow() {
  return {
    id: '01900000-0000-7000-8000-0000000000aa',
    type: 'test.Ping',
    version: 1,
    payload: JSON.stringify({ ownerId: OWNER }),
    headers: '{}',
    attempts: 0,
    last_error: null,
    processed_at: null,
    dead_at: null,
  };
}
