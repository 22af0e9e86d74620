import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerEnvironment, THROUGH_BROKER } from './test-broker.ts';

/**
 * The service as its own process (`node src/main.ts`), as it runs in production. Through the
 * broker (the e2e-broker project), it is two: the API (RUN_WORKERS=false) and a worker
 * (`src/worker.ts`), started, ended and killed together.
 */
export class ServerProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #worker: WorkerProcess | undefined;
  #output = '';

  private constructor(url: string, child: ChildProcess, worker?: WorkerProcess) {
    this.url = url;
    this.#child = child;
    this.#worker = worker;
    child.stdout?.on('data', (chunk) => {
      this.#output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      this.#output += chunk;
    });
  }

  /** `withWorker: false`: through the broker, the API alone (the test runs its workers). */
  static async start(
    env: Record<string, string>,
    { withWorker = true } = {},
  ): Promise<ServerProcess> {
    const port = await freePort();
    const viaBroker = THROUGH_BROKER && env.DATABASE_URL !== undefined;
    const broker = viaBroker ? brokerEnvironment(env.DATABASE_URL as string) : {};
    const child = spawn(process.execPath, ['src/main.ts'], {
      env: {
        ...serviceEnvironment(env),
        ...broker,
        ...(viaBroker && { RUN_WORKERS: 'false' }),
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The failpoint is the API's: a registration's COMMIT, then the crash.
    const { TASKFLOW_FAILPOINT: _, ...workerEnv } = env;
    const worker =
      viaBroker && withWorker ? WorkerProcess.start({ ...workerEnv, ...broker }) : undefined;
    return new ServerProcess(`http://127.0.0.1:${port}`, child, worker);
  }

  /** The exit code once the process has ended; null while it runs. */
  get exitCode(): number | null {
    return this.#child.exitCode;
  }

  /** Everything the process has written to stdout and stderr so far. */
  get output(): string {
    return this.#output;
  }

  /** Resolves once `/health/ready` answers 200 (and the worker consumes); fails with the output otherwise. */
  async ready(timeoutMs = 20_000): Promise<void> {
    await this.#worker?.ready(timeoutMs);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) break;
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server at ${this.url} did not become ready:\n${this.#output}`);
  }

  /** Resolves once the process has ended, with its exit code (null when a signal ended it). */
  async exited(): Promise<number | null> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
      return this.#child.exitCode;
    }
    const [code] = await once(this.#child, 'exit');
    return code as number | null;
  }

  /** Ends the process as a crash would (SIGKILL: nothing runs after it). */
  async kill(): Promise<void> {
    await this.#worker?.kill();
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGKILL');
    await once(this.#child, 'exit');
  }

  /** Sends a signal to the API process, and resolves at once. */
  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** Sends SIGTERM and resolves with the exit code. */
  async stop(): Promise<number | null> {
    const [code] = await Promise.all([terminate(this.#child), this.#worker?.stop()]);
    return code;
  }
}

/**
 * `npm run worker` as its own process: polls the outboxes and, with BROKER_URL, consumes the
 * queues. It serves no HTTP: it is ready once its log says it started (and, with a broker,
 * connected and consuming), so it logs at least at `info`.
 */
export class WorkerProcess {
  readonly #child: ChildProcess;
  readonly #consumes: boolean;
  #output = '';

  private constructor(child: ChildProcess, consumes: boolean) {
    this.#child = child;
    this.#consumes = consumes;
    const keep = (chunk: Buffer) => {
      this.#output += chunk;
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static start(env: Record<string, string>): WorkerProcess {
    const quiet = ['warn', 'error', 'fatal', 'silent'].includes(env.LOG_LEVEL ?? 'info');
    const child = spawn(process.execPath, ['src/worker.ts'], {
      env: { ...serviceEnvironment(env), ...(quiet && { LOG_LEVEL: 'info' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child, env.BROKER_URL !== undefined);
  }

  get output(): string {
    return this.#output;
  }

  async ready(timeoutMs = 20_000): Promise<void> {
    const line = this.#consumes ? '"msg":"message broker connected"' : '"msg":"worker started"';
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.#child.exitCode === null) {
      if (this.#output.includes(line)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the worker did not become ready:\n${this.#output}`);
  }

  async kill(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGKILL');
    await once(this.#child, 'exit');
  }

  stop(): Promise<number | null> {
    return terminate(this.#child);
  }
}

/** What a process of the service runs with: the test's settings over the test process's. */
function serviceEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  // Welcome emails go to files outside the working tree unless a test says otherwise.
  return { ...process.env, MAIL_DIR: join(tmpdir(), 'taskflow-test-mail'), ...env };
}

async function terminate(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code as number | null;
}

/**
 * A port for a server process, from a range of this test worker's own below the ports the
 * system hands out by itself. A port the system handed out (listen on 0, then close) could be
 * handed to another worker's server in the second before this one's process listened on it:
 * this one then failed to start, its readiness check was answered by the other server, and
 * its test talked to that one (the likeliest cause of a registration answered 503 in one full
 * run: a server shutting down answers so).
 */
async function freePort(): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  for (let tries = 0; tries < PORTS_PER_WORKER; tries++) {
    const port = PORTS_FROM + worker * PORTS_PER_WORKER + (nextPort++ % PORTS_PER_WORKER);
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port among this worker's ${PORTS_PER_WORKER}`);
}

const PORTS_FROM = 20_000;
const PORTS_PER_WORKER = 100;
let nextPort = 0;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
