import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Three layers: unit tests beside the code, integration and end-to-end tests under tests/.
 * The integration and end-to-end suites run once per database: SQLite always, PostgreSQL
 * when TEST_DATABASE_URL names a server the tests may create databases on. The web client
 * adds two: its component tests (`client`, in a simulated DOM) and the tests that drive it in
 * Chromium against the real service (`browser`, on SQLite only).
 */
/**
 * The processes the tests start (the service, a worker, the CLI: ~1.3 s each to load) keep
 * their compiled code here, as `npm start` does (scripts/start.sh): after the first, a start
 * skips compiling and stripping types (~0.4 s less each).
 */
process.env.NODE_COMPILE_CACHE ??= `${import.meta.dirname}/node_modules/.cache/node-compile-cache`;

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres && !process.env.VITEST_WORKER_ID) {
  console.log('PostgreSQL half skipped: TEST_DATABASE_URL is not set (see README, "Tests").');
}

const dialects = postgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

/**
 * The e2e suite once more through RabbitMQ, when TEST_BROKER_URL names a broker the tests may
 * declare exchanges and queues on: an API process (RUN_WORKERS=false) and a worker process,
 * on PostgreSQL when there is one. All of it but the files that watch message handlers run
 * in the test's own process (its in-memory span exporter, its metrics, its log lines):
 * through the broker, the handlers run in the worker.
 */
const broker = process.env.TEST_BROKER_URL;
if (!broker && !process.env.VITEST_WORKER_ID) {
  console.log('RabbitMQ half skipped: TEST_BROKER_URL is not set (see README, "Tests").');
}
const HANDLERS_IN_THIS_PROCESS = ['traces', 'trace-export', 'metrics'];
/**
 * Files whose requests no message takes part in, or none that they look at (a project's
 * creation is announced in a log line; the sessions an account deletion ends, it ends in its
 * own transaction): the same code answers them with a broker.
 */
const NOT_ABOUT_MESSAGES = [
  'authorization',
  'concurrent-commands',
  'idempotency',
  'session-ends-at-once',
  'login-throttling',
  'pagination',
  'http-edge',
  'hostile-input',
  'input-hygiene',
  'token-keys',
  'conditional-requests',
  'http-contract',
  'openapi-document',
];
const throughBroker: TestProjectInlineConfiguration[] = broker
  ? [
      {
        extends: true,
        test: {
          name: 'e2e-broker',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: [...HANDLERS_IN_THIS_PROCESS, ...NOT_ABOUT_MESSAGES].map(
            (name) => `tests/e2e/${name}.test.ts`,
          ),
          env: { TEST_DIALECT: postgres ? 'postgres' : 'sqlite', TEST_THROUGH_BROKER: 'true' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ]
  : [];

const perDialect = (name: string, include: string, testTimeout: number, isolate: boolean) =>
  dialects.map(
    (dialect): TestProjectInlineConfiguration => ({
      extends: true,
      test: {
        name: dialect === 'sqlite' ? name : `${name}-postgres`,
        include: [include],
        env: { TEST_DIALECT: dialect },
        testTimeout,
        hookTimeout: 60_000,
        isolate,
      },
    }),
  );

export default defineConfig({
  test: {
    // Vitest's default is one file at a time on a 2-core machine (cores - 1); most files wait
    // on servers and child processes rather than compute: three at a time took the whole run
    // from ~640 s to ~510 s on the 2-core development machine.
    maxWorkers: 3,
    projects: [
      // Files of the unit, client and integration suites share their workers (isolate: false):
      // none keeps state between files, and a new worker per file (~0.5 s each) was most of
      // their run (unit tests: 25 s alone, 5 s shared).
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false } },
      ...perDialect('integration', 'tests/integration/**/*.test.ts', 20_000, false),
      ...perDialect('e2e', 'tests/e2e/**/*.test.ts', 60_000, true),
      {
        extends: true,
        oxc: { jsx: { runtime: 'automatic' } },
        test: {
          name: 'client',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/web/**/*.test.ts'],
          globalSetup: ['tests/web/support/build-client.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...throughBroker,
    ],
    coverage: { provider: 'v8', include: ['src/**/*.ts'], exclude: ['src/**/*.test.ts'] },
  },
});
