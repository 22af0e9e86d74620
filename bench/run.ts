/**
 * npm run bench [-- --quick] [-- --db postgres://user@host:5432/postgres] [-- --broker amqp://guest:guest@127.0.0.1:5672]
 *
 * Starts the service (production mode, a fresh database) and the minimal baseline server
 * (bench/baseline.ts, or bench/baseline-postgres.ts on its own fresh database with --db), drives both with the same workloads in interleaved rounds, and
 * prints and writes (bench/results/latest.{json,md}, or latest-postgres.{json,md} with
 * --db) requests/s, p50, p99, errors and the service/baseline ratio per workload, with
 * the targets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeCursor } from '../src/projects/http/cursor.ts';
import { rawArgon2Rate } from './argon2-rate.ts';
import { freshPostgres } from './fresh-postgres.ts';
import { fillProject, LARGE_PROJECT_TASKS } from './large-project.ts';
import { type LoadOptions, type LoadResult, load } from './load.ts';
import {
  relayThroughput,
  starterProjectLatency,
  starterProjectLatencyThroughBroker,
} from './messaging.ts';
import {
  cpuSeconds,
  peakRssMb,
  type Server,
  startServer,
  startService,
  stopServer,
} from './processes.ts';
import { type Check, type Report, type Row, toMarkdown, writeReport } from './report.ts';
import { CREDENTIALS, type Seeded, seed } from './seed.ts';
import { noOpOtlpReceiver } from './tracing.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    db: { type: 'string' },
    broker: { type: 'string' },
  },
});
const seconds = flags.quick ? 2 : 10;
const warmUp = flags.quick
  ? { seconds: 1, requests: 2_000, maxSeconds: 3 }
  : { seconds: 3, requests: 10_000, maxSeconds: 12 };
const SERVICE_PORT = 18_080;
const BASELINE_PORT = 18_081;
const BROKER_PORT = 18_082;
const TRACED_SERVICE_PORT = 18_083;

/** At most this much more CPU per request with tracing on (exporting every span) than off. */
const TRACING_CPU_TARGET = 1.25;

/** Each measurement is split into this many rounds, interleaved with the others it is compared with. */
const ROUNDS = 4;

/**
 * Runs every step ROUNDS times, in turn (a, b, a, b, ...), each for `seconds / ROUNDS`, so a
 * slow moment of the machine hits all of them alike: figures compared with each other are
 * always measured this way.
 */
async function inRounds(steps: ((roundSeconds: number) => Promise<void>)[]): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    for (const step of steps) await step(seconds / ROUNDS);
  }
}

/**
 * Measures runs in interleaved rounds (service and baseline, a project of 10 tasks and one of
 * 1,000), after a warm-up. With `freshProcesses`, each round after the first runs on processes
 * started for it (warmed up again): two processes of the same code can differ in speed for as
 * long as they live. Five starts of one checkout on this machine, measured in the same
 * interleaved rounds, spent 77, 78, 98, 100 and 103 µs of CPU per GET tasks, every function
 * slower alike in the slow ones (native SQLite code as much as JavaScript): where a process
 * lands in memory, not what it runs. One pair of processes made a ratio that pair's luck
 * (SQLite GET tasks 0.49 to 0.81 from one run to the next); a mean over ROUNDS pairs is not.
 */
async function measureInterleaved(
  runs: () => LoadOptions[],
  freshProcesses?: () => Promise<void>,
): Promise<LoadResult[]> {
  const rounds: LoadResult[][] = runs().map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0 && freshProcesses) await freshProcesses();
    const current = runs();
    if (round === 0 || freshProcesses) {
      for (const run of current) await warmUpWith(run);
    }
    for (const [i, run] of current.entries()) {
      rounds[i]?.push(await load({ ...run, seconds: seconds / ROUNDS }));
    }
  }
  return rounds.map(combine);
}

/**
 * V8 optimizes a function once it has run enough times, so a warm-up is a number of requests
 * more than a time: at least `warmUp.seconds`, and on until `warmUp.requests` have been
 * served (for at most `warmUp.maxSeconds` more). On SQLite the first part is already tens
 * of thousands of requests; a service on PostgreSQL serves a few thousand a second and was
 * still compiling when a 3 s warm-up ended (CPU per GET tasks 300 µs in its first seconds,
 * 150-190 µs once warm).
 */
async function warmUpWith(run: LoadOptions): Promise<void> {
  const first = await load({ ...run, seconds: warmUp.seconds });
  const missing = warmUp.requests - first.total;
  if (missing <= 0) return;
  const rate = Math.max(1, first.requestsPerSecond);
  await load({ ...run, seconds: Math.min(warmUp.maxSeconds, missing / rate) });
}

/** Waits (at most 3 s) until a process uses under a tenth of a CPU. */
async function untilIdle(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  for (let i = 0; i < 30; i++) {
    const before = cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (cpuSeconds(pid) - before < 0.01) return;
  }
}

/** Rounds of equal length taken together: mean rate, worst latency, summed counts. */
function combine(rounds: LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => rounds.reduce((n, r) => n + f(r), 0);
  const total = sum((r) => r.total);
  const cpu = rounds.every((r) => r.cpuMicrosPerRequest !== undefined)
    ? sum((r) => (r.cpuMicrosPerRequest ?? 0) * r.total) / Math.max(1, total)
    : undefined;
  return {
    requestsPerSecond: sum((r) => r.requestsPerSecond) / rounds.length,
    p50: Math.max(...rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    total,
    ...(cpu !== undefined && { cpuMicrosPerRequest: cpu }),
  };
}

type Workload = {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  paths: (data: Seeded) => string[];
  body?: unknown;
  target?: number;
};

/** Workloads measured together (interleaved), because their figures are compared. */
const WORKLOAD_GROUPS: Workload[][] = [
  [
    {
      name: 'GET tasks (10 tasks)',
      method: 'GET',
      paths: (d) => [`/api/projects/${d.reads}/tasks`],
      target: 0.75,
    },
  ],
  [{ name: 'GET /users/me', method: 'GET', paths: () => ['/api/users/me'], target: 0.75 }],
  [
    {
      name: 'POST task (50 projects)',
      method: 'POST',
      paths: (d) => d.spread.map((id) => `/api/projects/${id}/tasks`),
      body: { name: 'Benchmark task' },
      target: 0.6,
    },
  ],
  [
    {
      name: 'PUT complete',
      method: 'PUT',
      paths: (d) =>
        Array.from(
          { length: 200 },
          (_, i) => `/api/projects/${d.completing}/tasks/${i + 1}/complete`,
        ),
      target: 0.6,
    },
  ],
  // The cost of a command against the size of its aggregate: both projects in one group.
  [
    {
      name: 'POST task (project of 10)',
      method: 'POST',
      paths: (d) => [`/api/projects/${d.small}/tasks`],
      body: { name: 'Benchmark task' },
    },
    {
      name: 'POST task (project of 1,000)',
      method: 'POST',
      paths: (d) => [`/api/projects/${d.large}/tasks`],
      body: { name: 'Benchmark task' },
    },
  ],
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'taskflow-bench-'));
  // On PostgreSQL both servers get a fresh database of their own on the same server.
  const postgres = flags.db ? await freshPostgres(flags.db, 'service') : undefined;
  const baselinePostgres = flags.db ? await freshPostgres(flags.db, 'baseline') : undefined;
  const tracedPostgres = flags.db ? await freshPostgres(flags.db, 'traced') : undefined;
  const databaseUrl = postgres?.url ?? `sqlite:${join(dir, 'service.db')}`;
  let service: Server | undefined;
  let baseline: Server | undefined;
  let traced: Server | undefined;
  const receiver = await noOpOtlpReceiver();
  const serviceEnv = (port: number, url: string) => ({
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: url,
    JWT_SECRET: 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    // The run logs in once and uses that token throughout: longer than the 15-minute default.
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000000',
    // The login workload measures hashing throughput: 50 connections log in to one account
    // at once, and every attempt in flight counts for that account's throttle (ADR 13).
    LOGIN_FAILURES_BEFORE_DELAY: '100',
  });
  try {
    // `npm start` builds the web client first when it is missing or older than its sources
    // (scripts/start.sh). Built here beforehand, so that the start-up figure is the service's
    // own, as on every start after the first.
    execFileSync(
      process.execPath,
      [
        'node_modules/vite/bin/vite.js',
        'build',
        '--config',
        'web/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { stdio: 'inherit' },
    );
    const startTheService = () => startService(SERVICE_PORT, serviceEnv(SERVICE_PORT, databaseUrl));
    const startTheBaseline = () =>
      startServer(
        'baseline',
        baselinePostgres
          ? ['bench/baseline-postgres.ts', String(BASELINE_PORT), baselinePostgres.url]
          : ['bench/baseline.ts', String(BASELINE_PORT), join(dir, 'baseline.db')],
        BASELINE_PORT,
      );
    service = await startTheService();
    baseline = await startTheBaseline();
    const startupMs = service.startupMs;
    console.log(
      `service ready in ${startupMs.toFixed(0)} ms on ${postgres ? 'PostgreSQL' : 'SQLite'}`,
    );
    let peakRss = 0;
    /**
     * New processes for the service and the baseline, on the same databases (and tokens), for
     * each round of a comparison; `--quick` keeps one pair (its rounds are too short to warm a
     * new process up: a smoke run, whose ratios are one pair's luck).
     */
    const eachRound = (restart: () => Promise<void>) => (flags.quick ? undefined : restart);
    const freshServiceAndBaseline = async () => {
      peakRss = Math.max(peakRss, peakRssMb(service?.child.pid));
      await Promise.all([stopServer(service), stopServer(baseline)]);
      service = await startTheService();
      baseline = await startTheBaseline();
    };
    const data = { service: await seed(service.url), baseline: await seed(baseline.url) };
    await fillProject(databaseUrl, data.service.huge, LARGE_PROJECT_TASKS);
    console.log(`seeded; service peak RSS ${peakRssMb(service.child.pid).toFixed(0)} MB`);

    const rows: Row[] = [];
    const results = new Map<string, LoadResult>();
    for (const group of WORKLOAD_GROUPS) {
      const options = (workload: Workload, server: Server, seeded: Seeded): LoadOptions => ({
        url: server.url,
        method: workload.method,
        paths: workload.paths(seeded),
        body: workload.body,
        token: seeded.token,
        seconds,
        ...(server.child.pid !== undefined && { pid: server.child.pid }),
      });
      const measured = await measureInterleaved(
        () => [
          ...group.map((workload) => options(workload, service as Server, data.service)),
          ...group.map((workload) => options(workload, baseline as Server, data.baseline)),
        ],
        eachRound(freshServiceAndBaseline),
      );
      for (const [i, workload] of group.entries()) {
        const serviceResult = measured[i] as LoadResult;
        const baselineResult = measured[group.length + i] as LoadResult;
        results.set(workload.name, serviceResult);
        rows.push({
          workload: workload.name,
          service: serviceResult,
          baseline: baselineResult,
          ...(workload.target && {
            ratio: {
              value: serviceResult.requestsPerSecond / baselineResult.requestsPerSecond,
              against: 'baseline',
              target: workload.target,
            },
          }),
        });
        const line = toMarkdown({
          date: '',
          database: '',
          seconds,
          rows: rows.slice(-1),
          checks: [],
        });
        console.log(line.split('\n')[4]);
      }
    }

    // A page's cost against the project's size (keyset pagination): the service alone, as the
    // baseline does not page. The first page and the last full page of each project.
    const page = (id: number, size: number) =>
      [0, size - 50].map((after) => {
        const cursor =
          after === 0 ? '' : `&cursor=${encodeCursor({ scope: `tasks:${id}:all`, after })}`;
        return `/api/projects/${id}/tasks?limit=50${cursor}`;
      });
    const pageRuns = [
      { name: 'GET tasks?limit=50 (project of 100)', paths: page(data.service.hundred, 100) },
      {
        name: 'GET tasks?limit=50 (project of 100,000)',
        paths: page(data.service.huge, LARGE_PROJECT_TASKS),
      },
    ];
    // One process for both: what is compared is the two projects, not two processes.
    const pages = await measureInterleaved(() =>
      pageRuns.map(({ paths }) => ({
        url: (service as Server).url,
        paths,
        token: data.service.token,
        seconds,
        ...(service?.child.pid !== undefined && { pid: service.child.pid }),
      })),
    );
    for (const [i, run] of pageRuns.entries()) {
      rows.push({ workload: run.name, service: pages[i] as LoadResult });
    }
    const pageRatio =
      (pages[1] as LoadResult).requestsPerSecond / (pages[0] as LoadResult).requestsPerSecond;

    const small = results.get('POST task (project of 10)') as LoadResult;
    const large = results.get('POST task (project of 1,000)') as LoadResult;
    const sizeRatio = large.requestsPerSecond / small.requestsPerSecond;

    const loginOptions: LoadOptions = {
      url: service.url,
      method: 'POST',
      paths: ['/api/users/login'],
      body: CREDENTIALS,
      connections: 16,
      seconds,
      ...(service.child.pid !== undefined && { pid: service.child.pid }),
    };
    // Logins and the machine's raw hashing rate in interleaved rounds, like the other ratios
    // (measured one after the other, a slow moment during either moved the ratio by 0.1-0.2).
    const rawRates: number[] = [];
    const loginRounds: LoadResult[] = [];
    const servicePid = service.child.pid;
    await inRounds([
      async (roundSeconds) => {
        rawRates.push(await rawArgon2Rate(roundSeconds));
      },
      async (roundSeconds) => {
        loginRounds.push(await load({ ...loginOptions, seconds: roundSeconds }));
        // The logins still in flight when a round ends keep hashing for a moment.
        await untilIdle(servicePid);
      },
    ]);
    const rawRate = rawRates.reduce((sum, rate) => sum + rate, 0) / rawRates.length;
    const logins = combine(loginRounds);
    rows.push({
      workload: 'POST /users/login',
      service: logins,
      ratio: { value: logins.requestsPerSecond / rawRate, against: 'raw Argon2id', target: 0.85 },
    });
    // The same flood again, with reads running beside it: hashing must not block them.
    const [, reads] = await Promise.all([
      load(loginOptions),
      load({
        url: service.url,
        paths: [`/api/projects/${data.service.reads}/tasks`],
        token: data.service.token,
        connections: 10,
        seconds,
      }),
    ]);
    rows.push({ workload: 'GET tasks during a login flood', service: reads });

    // Tracing on: the same service exporting every span over OTLP to a receiver that keeps
    // nothing, against the service with tracing off, in interleaved rounds (CPU per request).
    const startTraced = () =>
      startService(TRACED_SERVICE_PORT, {
        ...serviceEnv(
          TRACED_SERVICE_PORT,
          tracedPostgres?.url ?? `sqlite:${join(dir, 'traced.db')}`,
        ),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      });
    traced = await startTraced();
    const tracedData = await seed(traced.url);
    const tracingRuns = (server: Server, seeded: Seeded): LoadOptions[] =>
      [
        { method: 'GET' as const, paths: [`/api/projects/${seeded.reads}/tasks`] },
        {
          method: 'POST' as const,
          paths: seeded.spread.map((id) => `/api/projects/${id}/tasks`),
          body: { name: 'Benchmark task' },
        },
      ].map((run) => ({
        url: server.url,
        token: seeded.token,
        seconds,
        ...run,
        ...(server.child.pid !== undefined && { pid: server.child.pid }),
      }));
    const [getOff, postOff, getOn, postOn] = await measureInterleaved(
      () => [
        ...tracingRuns(service as Server, data.service),
        ...tracingRuns(traced as Server, tracedData),
      ],
      eachRound(async () => {
        peakRss = Math.max(peakRss, peakRssMb(service?.child.pid));
        await Promise.all([stopServer(service), stopServer(traced)]);
        service = await startTheService();
        traced = await startTraced();
      }),
    );
    const tracingRows = [
      { name: 'GET tasks (10 tasks)', off: getOff, on: getOn },
      { name: 'POST task (50 projects)', off: postOff, on: postOn },
    ];
    for (const { name, on } of tracingRows) {
      rows.push({ workload: `${name}, tracing on`, service: on as LoadResult });
    }
    const tracingCost = tracingRows.map(({ name, off, on }) => {
      const offCpu = off?.cpuMicrosPerRequest ?? Number.NaN;
      const onCpu = on?.cpuMicrosPerRequest ?? Number.NaN;
      return { name, offCpu, onCpu, ratio: onCpu / offCpu };
    });

    // The outbox: registration to starter project, and the relay on its own (ADR 15).
    const starter = await starterProjectLatency(service.url, flags.quick ? 10 : 50);
    const relayRate = await relayThroughput(flags.quick ? 2_000 : 10_000);
    // Through RabbitMQ (ADR 16), with `--broker amqp://…`: an API process and a worker.
    const viaBroker = flags.broker
      ? await starterProjectLatencyThroughBroker(flags.broker, BROKER_PORT, flags.quick ? 10 : 50)
      : undefined;

    const rss = Math.max(peakRss, peakRssMb(service.child.pid));
    const failures = rows.reduce((n, row) => n + row.service.errors + row.service.non2xx, 0);
    const checks: Check[] = [
      ...rows
        .filter((row) => row.ratio)
        .map((row) => ({
          what: `${row.workload}: ratio to ${row.ratio?.against}`,
          value: (row.ratio?.value ?? 0).toFixed(2),
          target: `≥ ${row.ratio?.target}`,
          pass: (row.ratio?.value ?? 0) >= (row.ratio?.target ?? 0),
        })),
      {
        what: 'adding a task: project of 1,000 / project of 10',
        value: sizeRatio.toFixed(2),
        target: '≥ 0.8',
        pass: sizeRatio >= 0.8,
      },
      {
        what: 'a page of 50 tasks: project of 100,000 / project of 100',
        value: pageRatio.toFixed(2),
        target: '≥ 0.8',
        pass: pageRatio >= 0.8,
      },
      {
        what: `raw Argon2id rate (${process.env.UV_THREADPOOL_SIZE ?? 4} threads)`,
        value: `${rawRate.toFixed(1)}/s`,
        target: '(reference)',
        pass: true,
      },
      {
        what: 'GET tasks p99 during the login flood',
        value: `${reads.p99} ms`,
        target: '< 50 ms',
        pass: reads.p99 < 50,
      },
      {
        what: 'starter project visible after POST /api/users answered, p50 / p99',
        value: `${starter.p50.toFixed(1)} / ${starter.p99.toFixed(1)} ms`,
        target: '(reference)',
        pass: true,
      },
      ...(viaBroker
        ? [
            {
              what: 'starter project visible after POST /api/users answered, through RabbitMQ, p50 / p99',
              value: `${viaBroker.p50.toFixed(1)} / ${viaBroker.p99.toFixed(1)} ms`,
              target: '(reference)',
              pass: true,
            },
          ]
        : []),
      {
        what: 'relay: outbox to a one-write handler (SQLite, in process)',
        value: `${relayRate.toFixed(0)} messages/s`,
        target: '≥ 2000/s',
        pass: relayRate >= 2_000,
      },
      ...tracingCost.map(({ name, offCpu, onCpu, ratio }) => ({
        what: `${name}: CPU per request, tracing on / off`,
        value: `${onCpu.toFixed(0)} / ${offCpu.toFixed(0)} µs (+${(onCpu - offCpu).toFixed(0)} µs, ×${ratio.toFixed(2)})`,
        target: `≤ ×${TRACING_CPU_TARGET}`,
        pass: ratio <= TRACING_CPU_TARGET,
      })),
      {
        what: 'service errors and non-2xx',
        value: String(failures),
        target: '0',
        pass: failures === 0,
      },
      {
        what: 'service peak RSS',
        value: `${rss.toFixed(0)} MB`,
        target: '< 250 MB',
        pass: rss < 250,
      },
      {
        what: 'service start-up to a ready /health',
        value: `${startupMs.toFixed(0)} ms`,
        target: postgres ? '(PostgreSQL: not targeted)' : '< 1500 ms',
        pass: postgres ? true : startupMs < 1500,
      },
    ];
    const report: Report = {
      date: new Date().toISOString(),
      database: postgres ? 'service and baseline on PostgreSQL' : 'service and baseline on SQLite',
      seconds,
      rows,
      checks,
    };
    console.log(`\n${toMarkdown(report)}`);
    const name = postgres ? 'latest-postgres' : 'latest';
    writeReport(report, new URL('results/', import.meta.url), name);
    if (checks.some((check) => !check.pass)) process.exitCode = 1;
  } finally {
    await stopServer(service);
    await stopServer(baseline);
    await stopServer(traced);
    receiver.close();
    await postgres?.drop();
    await baselinePostgres?.drop();
    await tracedPostgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
