import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { z } from 'zod';
import { buildApp } from '../src/app.ts';
import type { DomainEvent } from '../src/building-blocks/domain/domain-event.ts';
import { KyselyUnitOfWork } from '../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import { AmqpTopology } from '../src/building-blocks/messaging/amqp/amqp-topology.ts';
import { messageContract } from '../src/building-blocks/messaging/contract.ts';
import { loadConfig } from '../src/config.ts';
import { type Server, startService, stopServer } from './processes.ts';

/**
 * Time from `POST /api/users` answered to the starter project visible in `GET /api/users/me`:
 * after the answer the client logs in (not counted), then reads `/me` until the project is
 * there; the figure runs from that first look until a read that shows the project has
 * answered (so it includes one `GET /me`: a project already there costs one read).
 */
export async function starterProjectLatency(
  url: string,
  samples: number,
): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const credentials = {
      email: `latency-${Date.now()}-${i}@example.com`,
      password: 'a password!',
    };
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const registered = await post('/api/users', credentials);
    if (registered.status !== 201) throw new Error(`registration answered ${registered.status}`);
    const { access_token: token } = (await (
      await post('/api/users/login', credentials)
    ).json()) as {
      access_token: string;
    };
    const firstLook = performance.now();
    for (;;) {
      const me = (await (
        await fetch(`${url}/api/users/me`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { projects: unknown[] };
      if (me.projects.length > 0) break;
      if (performance.now() - firstLook > 30_000) throw new Error('no starter project in 30 s');
    }
    latencies.push(performance.now() - firstLook);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

type Tick = DomainEvent<'bench.Tick', { n: number }>;
const TickV1 = messageContract<Tick>('bench.Tick', 1, z.object({ n: z.number() }));

/**
 * Messages per second from the outbox to a handler whose unit of work makes one small write
 * (its inbox row), through the relay's poll, in process on an SQLite file: `count` messages are
 * stored first (unclaimed, as a crash would leave them), then polled until none is left.
 */
export async function relayThroughput(count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'taskflow-relay-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`,
    JWT_SECRET: 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    LOG_LEVEL: 'warn',
    MESSAGE_RELAY_INTERVAL_MS: '3600000',
    MESSAGE_LEASE_SECONDS: '0.1',
    MAIL_DIR: join(dir, 'mail'),
  });
  const app = await buildApp(config);
  try {
    const uow = new KyselyUnitOfWork<Record<string, object>, { record(event: DomainEvent): void }>(
      app.database,
      (_trx, tracker) => ({ record: (event) => tracker.track({ pullEvents: () => [event] }) }),
      app.messaging.outboxOf('projects', [TickV1]),
    );
    let handled = 0;
    app.messaging.handlers.subscribe(
      TickV1,
      { context: 'projects', name: 'benchTick', inbox: 'unit-of-work' },
      async () => {
        await uow.run(async () => {
          handled += 1;
        });
      },
    );
    // Stored without dispatch: the relay's poll is what is measured.
    app.messaging.relay.dispatch = async () => {};
    for (let start = 0; start < count; start += 500) {
      await uow.run(async ({ record }) => {
        for (let n = start; n < Math.min(count, start + 500); n++) {
          record({ type: 'bench.Tick', payload: { n } });
        }
      });
    }
    // Let the writer's claims run out.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = performance.now();
    await app.messaging.relay.pollOnce();
    const seconds = (performance.now() - started) / 1000;
    if (handled !== count) throw new Error(`handled ${handled} of ${count} messages`);
    return count / seconds;
  } finally {
    await app.http.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same figure through RabbitMQ: an API process (RUN_WORKERS=false) publishes, a worker
 * process consumes and makes the starter project, on an SQLite file of their own and a broker
 * namespace of their own (removed afterwards).
 */
export async function starterProjectLatencyThroughBroker(
  brokerUrl: string,
  port: number,
  samples: number,
): Promise<{ p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'taskflow-broker-bench-'));
  const namespace = `taskflow-bench-${process.pid}`;
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${join(dir, 'service.db')}`,
    JWT_SECRET: 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    LOG_LEVEL: 'info',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000000',
    MAIL_DIR: join(dir, 'mail'),
    BROKER_URL: brokerUrl,
    BROKER_NAMESPACE: namespace,
  };
  const worker = spawn(process.execPath, ['src/worker.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let api: Server | undefined;
  try {
    await logged(worker, '"msg":"message broker connected"');
    api = await startService(port, {
      ...env,
      LOG_LEVEL: 'warn',
      RUN_WORKERS: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    return await starterProjectLatency(api.url, samples);
  } finally {
    await stopServer(api);
    worker.kill('SIGTERM');
    await once(worker, 'exit');
    const connection = await connect(brokerUrl);
    const contexts = new Map([
      ['accounts', []],
      ['projects', []],
    ]);
    await new AmqpTopology(namespace, () => contexts).remove(await connection.createChannel());
    await connection.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolves once the process wrote `line` to its stdout. */
async function logged(child: ChildProcess, line: string): Promise<void> {
  let output = '';
  const deadline = Date.now() + 30_000;
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  while (!output.includes(line)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the worker did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
