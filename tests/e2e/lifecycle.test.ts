import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { refusedStart } from '../support/refused-start.ts';
import { ServerProcess } from '../support/server-process.ts';
import { THROUGH_BROKER } from '../support/test-broker.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

const STRONG_SECRET = 'lifecycle-test-secret-0123456789-abcdefghijklmnopqrst';

// The start-up tests are left out of the broker's run of the e2e suite: nothing in them is
// about messages. The shutdown tests at the end run in it (the broker's connection closes too).
const startUpTest = test.skipIf(THROUGH_BROKER);

describe('the service process', () => {
  let database: FreshDatabase | undefined;
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.stop();
    await database?.drop();
    server = undefined;
    database = undefined;
  });

  startUpTest('refuses to start in production without a strong JWT secret, in one line', () => {
    for (const secret of [undefined, 'too-short']) {
      const message = refusedStart(['src/main.ts'], {
        NODE_ENV: 'production',
        DATABASE_URL: 'sqlite::memory:',
        JWT_SECRET: secret ?? '',
      });

      expect(message).toMatch(/JWT_SECRET must be set to at least 32 bytes in production/);
    }
  });

  startUpTest('fails with a clear message when the database never answers', () => {
    const result = spawnSync(process.execPath, ['src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing',
        DATABASE_WAIT_SECONDS: '1',
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/did not answer within 1 s/);
    expect(result.stderr).not.toContain('secret@');
  });

  // An answer that waiting cannot change fails at once, in one line that says what to do:
  // the service and the migrate and seed commands alike.
  const refusals = [
    [
      'a database that does not exist',
      'no_such_database',
      undefined,
      /database "no_such_database" does not exist: create it/,
    ],
    [
      'a role the server refuses',
      'postgres',
      'no_such_role',
      /role "no_such_role" does not exist: check the user name and password/,
    ],
  ] as const;
  test.runIf(TEST_DIALECT === 'postgres' && !THROUGH_BROKER).each(refusals)(
    'fails at once on %s, in one line, without waiting for the database',
    (_, name, user, message) => {
      const url = new URL(process.env.TEST_DATABASE_URL as string);
      url.pathname = `/${name}`;
      if (user) url.username = user;
      for (const command of [['src/main.ts'], ['src/cli.ts', 'migrate'], ['src/cli.ts', 'seed']]) {
        const started = Date.now();
        const result = spawnSync(process.execPath, command, {
          env: { ...process.env, DATABASE_URL: url.toString(), DATABASE_WAIT_SECONDS: '30' },
          encoding: 'utf8',
          timeout: 20_000,
        });

        expect(result.status, result.stderr).toBe(1);
        expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
        expect(result.stderr).toMatch(message);
        // Starting Node and loading the modules takes about a second; waiting would take 30.
        expect(Date.now() - started).toBeLessThan(10_000);
      }
    },
  );

  // Node.js's recursive mkdir tried to make a folder under /proc forever, at 100% CPU; a path
  // that names a folder was waited for as a database not up yet (30 s).
  test.runIf(process.platform === 'linux' && !THROUGH_BROKER)(
    'fails at once, in one line, on a SQLite file it cannot make or open',
    () => {
      for (const [path, message] of [
        ['/proc/no-such-folder/app.db', /folder of the SQLite database .* cannot be made/],
        [mkdtempSync(join(tmpdir(), 'a-folder-')), /DATABASE_URL names the folder .*, not a file/],
      ] as const) {
        const started = Date.now();
        const refusal = refusedStart(['src/main.ts'], {
          DATABASE_URL: `sqlite:${path}`,
          DATABASE_WAIT_SECONDS: '30',
          LOG_LEVEL: 'silent',
        });

        expect(refusal).toMatch(message);
        expect(Date.now() - started).toBeLessThan(10_000);
      }
    },
  );

  startUpTest(
    'with RUN_MIGRATIONS_ON_START=false, refuses a database that lacks migrations, in one line that says to migrate',
    async () => {
      database = await freshDatabase();
      for (const command of ['src/main.ts', 'src/worker.ts']) {
        const message = refusedStart([command], {
          DATABASE_URL: database.url,
          RUN_MIGRATIONS_ON_START: 'false',
          LOG_LEVEL: 'silent',
        });

        expect(message).toMatch(/lacks \d+ migration\(s\) of this version .*npm run migrate/);
      }
    },
  );

  startUpTest('a port already taken stops the process in one line that names it', async () => {
    const running = await startInProduction({ LOG_LEVEL: 'silent' });
    const port = new URL(running.url).port;

    const message = refusedStart(['src/main.ts'], {
      DATABASE_URL: 'sqlite::memory:',
      PORT: port,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });

    expect(message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });

  startUpTest('a HOST that does not resolve stops the process in one line that names it', () => {
    const message = refusedStart(['src/main.ts'], {
      DATABASE_URL: 'sqlite::memory:',
      // .invalid is reserved (RFC 2606): no resolver answers with an address for it.
      HOST: 'nonexistent.invalid',
      PORT: '0',
      LOG_LEVEL: 'silent',
    });

    // "No address is known", or, on a machine whose name server does not answer, "did not
    // answer": one line that names HOST either way.
    expect(message).toMatch(/^Cannot listen on nonexistent\.invalid: .* \(HOST\)/);
  });

  /** The service as in production, on a fresh database, with `env` added; ready. */
  const startInProduction = async (env: Record<string, string>) => {
    database = await freshDatabase();
    server = await ServerProcess.start({
      NODE_ENV: 'production',
      JWT_SECRET: STRONG_SECRET,
      DATABASE_URL: database.url,
      ...env,
    });
    await server.ready();
    return server;
  };

  test('finishes in-flight requests on SIGTERM, then exits cleanly', async () => {
    const server = await startInProduction({ LOG_LEVEL: 'info' });

    // Registration hashes a password: slow enough to be in flight when the signal arrives.
    // The signal is sent once the service has logged the request's arrival (a request that
    // arrives after shutdown began is refused with 503, as it should be).
    const inFlight = fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late@example.com', password: 'a good password' }),
    });
    // The signal must come once the server took the request in (its log says so), not after
    // a guessed delay: a busy machine can take longer than any fixed one.
    const deadline = Date.now() + 10_000;
    while (!server.output.includes('"url":"/api/users"') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const exited = server.stop();

    expect((await inFlight).status).toBe(201);
    expect(await exited, server.output).toBe(0);
  });

  test('SIGTERM under keep-alive load: every request a client sent is answered, none is reset', async () => {
    const server = await startInProduction({ LOG_LEVEL: 'warn' });
    // Clients that send their next request as soon as they have an answer, each on its own
    // kept-alive connection: when the signal comes, some of those requests are on their way.
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const outcomes = { answered: 0, reset: 0, refused: 0 };
    const status = () =>
      new Promise<number>((resolve, reject) => {
        get(`${server.url}/health`, { agent }, (response) => {
          response.resume().on('end', () => resolve(response.statusCode as number));
        }).on('error', reject);
      });
    const client = async () => {
      for (;;) {
        try {
          await status();
          outcomes.answered++;
        } catch (error) {
          // A new connection refused once the server stopped listening: nothing was sent.
          if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') outcomes.refused++;
          else outcomes.reset++;
          return;
        }
      }
    };
    const clients = Array.from({ length: 20 }, client);
    while (outcomes.answered < 500) await new Promise((resolve) => setTimeout(resolve, 5));

    const exited = server.stop();
    await Promise.all(clients);
    agent.destroy();

    expect(outcomes).toMatchObject({ reset: 0, refused: 20 });
    expect(await exited, server.output).toBe(0);
  });

  test('a connection that never sends a request does not hold the shutdown up', async () => {
    const server = await startInProduction({ LOG_LEVEL: 'warn' });
    const idle = connect(Number(new URL(server.url).port), '127.0.0.1');
    await once(idle, 'connect');
    const ended = once(idle, 'close');

    const started = Date.now();
    expect(await server.stop(), server.output).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000); // the shutdown deadline is 10 s
    await ended;
  });

  test('a second signal exits at once, without waiting for the shutdown', async () => {
    const server = await startInProduction({ LOG_LEVEL: 'warn' });
    // A kept-alive connection the shutdown gives a second to bring a request.
    const idle = connect(Number(new URL(server.url).port), '127.0.0.1');
    await once(idle, 'connect');

    server.signal('SIGTERM');
    server.signal('SIGINT');

    expect(await server.exited()).toBe(1);
    expect(server.output).toContain('a second signal: exiting without waiting');
    idle.destroy();
  });

  // The spans not yet exported get a last try at exit; a collector that refuses them made the
  // exit an unhandled rejection (exit code 1, a stack trace).
  test('exits cleanly on SIGTERM even when the trace collector refuses its last spans', async () => {
    const server = await startInProduction({
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    expect(await server.stop(), server.output).toBe(0);
    expect(server.output).not.toContain('triggerUncaughtException');
  });
});
