import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The service as its own process (`node src/main.ts`), as it runs in production. */
export class ServerProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  #output = '';

  private constructor(url: string, child: ChildProcess) {
    this.url = url;
    this.#child = child;
    child.stdout?.on('data', (chunk) => {
      this.#output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      this.#output += chunk;
    });
  }

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['src/main.ts'], {
      env: {
        ...process.env,
        // Welcome emails go to files outside the working tree unless a test says otherwise.
        MAIL_DIR: join(tmpdir(), 'taskflow-test-mail'),
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServerProcess(`http://127.0.0.1:${port}`, child);
  }

  /** The exit code once the process has ended; null while it runs. */
  get exitCode(): number | null {
    return this.#child.exitCode;
  }

  /** Everything the process has written to stdout and stderr so far. */
  get output(): string {
    return this.#output;
  }

  /** Resolves once `/health/ready` answers 200; fails with the process output otherwise. */
  async ready(timeoutMs = 20_000): Promise<void> {
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
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGKILL');
    await once(this.#child, 'exit');
  }

  /** Sends SIGTERM and resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.#child.exitCode !== null) return this.#child.exitCode;
    this.#child.kill('SIGTERM');
    const [code] = await once(this.#child, 'exit');
    return code as number | null;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
