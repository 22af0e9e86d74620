import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from /health. */
  startupMs: number;
}

/**
 * Starts the service through the launcher `npm start` runs (scripts/start.sh), so it runs
 * with the same Node.js flags and environment as in production; `nodeOptions` go to Node.js
 * (e.g. `--cpu-prof`). The launcher execs Node.js: the child's pid is the service's.
 */
export function startService(
  port: number,
  env: Record<string, string>,
  nodeOptions: string[] = [],
): Promise<Server> {
  return startProcess('service', 'sh', ['scripts/start.sh', ...nodeOptions], port, env);
}

/** Spawns a Node.js server (this process's Node.js) and waits until /health answers 200. */
export function startServer(
  name: string,
  args: string[],
  port: number,
  env: Record<string, string> = {},
): Promise<Server> {
  return startProcess(name, process.execPath, args, port, env);
}

/** Spawns `command` and waits until /health on `port` answers 200. */
export async function startProcess(
  name: string,
  command: string,
  args: string[],
  port: number,
  env: Record<string, string>,
): Promise<Server> {
  const started = performance.now();
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) {
        return { name, url, child, startupMs: performance.now() - started };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill();
  throw new Error(`${name} did not start`);
}

export async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  await Promise.race([once(server.child, 'exit'), new Promise((r) => setTimeout(r, 5_000))]);
  if (server.child.exitCode === null) {
    // Gone before a new process is started on its port (the benchmark restarts servers).
    const exited = once(server.child, 'exit');
    server.child.kill('SIGKILL');
    await exited;
  }
}

/** CPU time (user + system, all threads) a process has used so far, in seconds (Linux). */
export function cpuSeconds(pid: number): number {
  // Fields after the command name; utime and stime are the 12th and 13th, in clock ticks.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Peak resident set size of a process so far, in MB (Linux VmHWM). */
export function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
