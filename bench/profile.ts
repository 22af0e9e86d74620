/**
 * npm run bench:profile -- <workload> [seconds] [postgres://... (a server to make a fresh database on)]
 *
 * Starts the service as the benchmark does, under `--cpu-prof`, drives one workload
 * (`tasks`, `me`, `post`, `complete`) and leaves a .cpuprofile in bench/results/profiles
 * to open in Chrome DevTools or speedscope.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from './fresh-postgres.ts';
import { type LoadOptions, load } from './load.ts';
import { startService, stopServer } from './processes.ts';
import { seed } from './seed.ts';

const [workload = 'tasks', seconds = '5', postgresUrl] = process.argv.slice(2);
const PORT = 18_090;
const directory = mkdtempSync(join(tmpdir(), 'taskflow-profile-'));
const profiles = join(import.meta.dirname, 'results', 'profiles');
mkdirSync(profiles, { recursive: true });
const postgres = postgresUrl ? await freshPostgres(postgresUrl, 'profile') : undefined;

const server = await startService(
  PORT,
  {
    NODE_ENV: 'production',
    PORT: String(PORT),
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'profile-secret-0123456789-0123456789-abcdef',
    DATABASE_URL: postgres?.url ?? `sqlite:${join(directory, 'profile.db')}`,
  },
  ['--cpu-prof', `--cpu-prof-dir=${profiles}`],
);
try {
  const data = await seed(server.url);
  const runs: Record<string, Omit<LoadOptions, 'url' | 'seconds'>> = {
    tasks: { method: 'GET', paths: [`/api/projects/${data.reads}/tasks`] },
    me: { method: 'GET', paths: ['/api/users/me'] },
    post: {
      method: 'POST',
      paths: data.spread.map((id) => `/api/projects/${id}/tasks`),
      body: { name: 'A task' },
    },
    complete: {
      method: 'PUT',
      paths: Array.from(
        { length: 200 },
        (_, i) => `/api/projects/${data.completing}/tasks/${i + 1}/complete`,
      ),
    },
  };
  const run = runs[workload];
  if (!run) throw new Error(`unknown workload ${workload}`);
  const result = await load({
    url: server.url,
    token: data.token,
    seconds: Number(seconds),
    ...run,
  });
  console.log(workload, Math.round(result.requestsPerSecond), 'req/s');
} finally {
  await stopServer(server);
  await postgres?.drop();
  rmSync(directory, { recursive: true, force: true });
}
