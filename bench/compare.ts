/**
 * npm run bench:compare -- <checkout before> <checkout after> --db postgres://... [--seconds 8]
 *
 * Two versions of the service side by side, for a change on a hot path: both started as the
 * benchmark starts the service, each on a fresh database of one PostgreSQL server, driven
 * with the same workloads in interleaved rounds (before, after, before, after, ...). Per
 * workload and version: requests/s, the service's CPU time per request, and the CPU time
 * per request of the PostgreSQL backends serving it (its database's sessions, from
 * pg_stat_activity and /proc). On a busy machine, requests/s follow the machine's mood; the
 * CPU figures, taken in the same rounds, are what to compare.
 * A checkout is a directory with this repository's files (e.g. `git archive` of a commit)
 * whose node_modules may be a link to this one's.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshPostgres } from './fresh-postgres.ts';
import { type LoadOptions, load } from './load.ts';
import { cpuSeconds, type Server, startProcess, stopServer } from './processes.ts';
import { type Seeded, seed } from './seed.ts';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { db: { type: 'string' }, seconds: { type: 'string', default: '8' } },
});
const [before, after] = positionals;
if (!before || !after || !flags.db) {
  throw new Error('usage: bench/compare.ts <checkout before> <checkout after> --db postgres://...');
}
const seconds = Number(flags.seconds);
const ROUNDS = 4;

const WORKLOADS: { name: string; options: (d: Seeded) => Omit<LoadOptions, 'url' | 'seconds'> }[] =
  [
    { name: 'GET tasks', options: (d) => ({ paths: [`/api/projects/${d.reads}/tasks`] }) },
    { name: 'GET me', options: () => ({ paths: ['/api/users/me'] }) },
    {
      name: 'POST task (50 projects)',
      options: (d) => ({
        method: 'POST',
        paths: d.spread.map((id) => `/api/projects/${id}/tasks`),
        body: { name: 'Benchmark task' },
      }),
    },
    {
      name: 'PUT complete',
      options: (d) => ({
        method: 'PUT',
        paths: Array.from(
          { length: 200 },
          (_, i) => `/api/projects/${d.completing}/tasks/${i + 1}/complete`,
        ),
      }),
    },
  ];

interface Version {
  label: string;
  server: Server;
  data: Seeded;
  database: string;
}

/** CPU seconds used so far by the PostgreSQL sessions connected to `database`. */
async function backendCpu(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = $1',
    [database],
  );
  return rows.reduce((sum, { pid }) => {
    try {
      return sum + cpuSeconds(pid);
    } catch {
      return sum; // a session that ended meanwhile
    }
  }, 0);
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: flags.db });
  await admin.connect();
  const databases = [
    await freshPostgres(flags.db as string, 'before'),
    await freshPostgres(flags.db as string, 'after'),
  ];
  const versions: Version[] = [];
  try {
    for (const [i, root] of [before, after].entries()) {
      const port = 18_200 + i;
      const database = databases[i] as Awaited<ReturnType<typeof freshPostgres>>;
      const server = await startProcess(`service ${i}`, 'sh', [`${root}/scripts/start.sh`], port, {
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        JWT_SECRET: 'benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
        LOG_LEVEL: 'warn',
      });
      versions.push({
        label: i === 0 ? 'before' : 'after',
        server,
        data: await seed(server.url),
        database: new URL(database.url).pathname.slice(1),
      });
    }
    console.log('| workload | version | req/s | service CPU µs/req | PostgreSQL CPU µs/req |');
    console.log('|---|---|---:|---:|---:|');
    for (const workload of WORKLOADS) {
      const totals = versions.map(() => ({ requests: 0, service: 0, postgres: 0, seconds: 0 }));
      const run = (version: Version, runSeconds: number) =>
        load({
          url: version.server.url,
          token: version.data.token,
          seconds: runSeconds,
          ...workload.options(version.data),
        });
      for (const version of versions) await run(version, 3); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, version] of versions.entries()) {
          const pid = version.server.child.pid as number;
          const [service0, postgres0] = [
            cpuSeconds(pid),
            await backendCpu(admin, version.database),
          ];
          const result = await run(version, seconds / ROUNDS);
          const total = totals[i] as (typeof totals)[number];
          total.requests += result.total;
          total.seconds += seconds / ROUNDS;
          total.service += cpuSeconds(pid) - service0;
          total.postgres += (await backendCpu(admin, version.database)) - postgres0;
        }
      }
      for (const [i, version] of versions.entries()) {
        const t = totals[i] as (typeof totals)[number];
        const perRequest = (cpu: number) => ((cpu * 1e6) / Math.max(1, t.requests)).toFixed(0);
        console.log(
          `| ${workload.name} | ${version.label} | ${(t.requests / t.seconds).toFixed(0)} | ${perRequest(t.service)} | ${perRequest(t.postgres)} |`,
        );
      }
    }
  } finally {
    for (const version of versions) await stopServer(version.server);
    await admin.end();
    for (const database of databases) await database.drop();
  }
}

await main();
