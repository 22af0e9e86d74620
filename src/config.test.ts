import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, type ConfigOptions, loadConfig } from './config.ts';

const strong = 'Qk7f2mZr9LxW4pTb8NvC3hYd6JsA1eGu';
const evenOlder = 'w3Nc8Gk1Qz6Tb4Yh9Mr2Vx7Ld5Pf0Sj3Ka8Hu2E';

let directory: string;
let options: ConfigOptions;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'taskflow-config-'));
  options = { developmentSecretFile: join(directory, 'data', 'dev-jwt-secret') };
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('loadConfig', () => {
  test('has working defaults for development', () => {
    const config = loadConfig({}, options);

    expect(config).toMatchObject({
      env: 'development',
      port: 8000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/app.db',
      bodyLimitBytes: 65_536,
      runMigrationsOnStart: true,
      sqliteGroupCommit: true,
    });
  });

  test('sessions: 15-minute access tokens, 30-day sessions ending after 7 idle days, no previous keys', () => {
    expect(loadConfig({}, options)).toMatchObject({
      accessTokenTtlSeconds: 900,
      sessionLifetimeSeconds: 2_592_000,
      sessionIdleTimeoutSeconds: 604_800,
      jwtPreviousSecrets: [],
    });
  });

  test('JWT_PREVIOUS_SECRETS is a comma-separated list, each strong in production', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: strong };
    const older = 'p4Hs9Kd2Lw7Rt1Xm5Bq8Ny3Fc6Jv0ZgT';

    expect(
      loadConfig({ ...production, JWT_PREVIOUS_SECRETS: ` ${older} , ${evenOlder}` }, options)
        .jwtPreviousSecrets,
    ).toEqual([older, evenOlder]);
    expect(() =>
      loadConfig({ ...production, JWT_PREVIOUS_SECRETS: `${older},short` }, options),
    ).toThrow(ConfigError);
  });

  test('DATABASE_COMMAND_TIMEOUT_MS bounds how long a command waits on PostgreSQL: 30 s unless set, 1 s to 10 min', () => {
    expect(loadConfig({}, options).databaseCommandTimeoutMs).toBe(30_000);
    expect(
      loadConfig({ DATABASE_COMMAND_TIMEOUT_MS: '120000' }, options).databaseCommandTimeoutMs,
    ).toBe(120_000);
    for (const refused of ['999', '600001', 'soon']) {
      expect(() => loadConfig({ DATABASE_COMMAND_TIMEOUT_MS: refused }, options)).toThrow(
        ConfigError,
      );
    }
  });

  test('SQLITE_GROUP_COMMIT=false gives each unit of work its own SQLite transaction', () => {
    expect(loadConfig({ SQLITE_GROUP_COMMIT: 'false' }).sqliteGroupCommit).toBe(false);
    expect(loadConfig({ SQLITE_GROUP_COMMIT: 'true' }).sqliteGroupCommit).toBe(true);
  });

  test('development without a secret makes one up once, keeps it for its owner only, and says where', () => {
    const file = options.developmentSecretFile as string;

    const first = loadConfig({}, options);

    expect(Buffer.byteLength(first.jwtSecret ?? '')).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.jwtSecretWarning).toMatch(/JWT_SECRET is not set: .* kept in .*dev-jwt-secret/);
  });

  test('development reuses the kept secret, so a restart logs nobody out', () => {
    const first = loadConfig({ NODE_ENV: 'development' }, options);
    const restarted = loadConfig({ NODE_ENV: 'development', JWT_SECRET: '' }, options);

    expect(restarted.jwtSecret).toBe(first.jwtSecret);
  });

  test('development uses a secret already in the file', () => {
    const file = join(directory, 'dev-jwt-secret');
    writeFileSync(file, `${'k'.repeat(40)}\n`);

    expect(loadConfig({}, { developmentSecretFile: file }).jwtSecret).toBe('k'.repeat(40));
  });

  test('a kept secret that is too short stops start-up, naming the file', () => {
    const file = join(directory, 'dev-jwt-secret');
    writeFileSync(file, 'short\n');

    expect(() => loadConfig({}, { developmentSecretFile: file })).toThrow(ConfigError);
    expect(() => loadConfig({}, { developmentSecretFile: file })).toThrow(
      `${file} holds fewer than 32 bytes`,
    );
  });

  test('a development secret that cannot be kept stops start-up in a sentence naming the file', () => {
    // Its folder would be a folder under a plain file: it can be neither read nor made.
    const blocker = join(directory, 'not-a-folder');
    writeFileSync(blocker, '');
    const file = join(blocker, 'data', 'dev-jwt-secret');

    expect(() => loadConfig({}, { developmentSecretFile: file })).toThrow(ConfigError);
    expect(() => loadConfig({}, { developmentSecretFile: file })).toThrow(
      `the development secret cannot be kept in ${file} (ENOTDIR`,
    );
  });

  test('a secret that is set wins over the kept one, which is then never made', () => {
    const config = loadConfig({ JWT_SECRET: strong }, options);

    expect(config.jwtSecret).toBe(strong);
    expect(config.jwtSecretWarning).toBeUndefined();
    expect(existsSync(options.developmentSecretFile as string)).toBe(false);
  });

  test('tests without a secret get a random one each time, and nothing is written', () => {
    const first = loadConfig({ NODE_ENV: 'test' }, options);
    const second = loadConfig({ NODE_ENV: 'test' }, options);

    expect(Buffer.byteLength(first.jwtSecret ?? '')).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).not.toBe(first.jwtSecret);
    expect(first.jwtSecretWarning).toMatch(/tokens stop working when the process restarts/);
    expect(existsSync(options.developmentSecretFile as string)).toBe(false);
  });

  test('production refuses a missing or weak secret in one line, even with a kept one', () => {
    loadConfig({ NODE_ENV: 'development' }, options);
    for (const JWT_SECRET of [undefined, 'x'.repeat(31)]) {
      const production = () => loadConfig({ NODE_ENV: 'production', JWT_SECRET }, options);
      expect(production).toThrow(ConfigError);
      expect(production).toThrow(/^JWT_SECRET must/);
    }
  });

  test('production refuses a secret of a few characters repeated, in one line', () => {
    for (const guessable of ['a'.repeat(32), 'ab'.repeat(20), `${'x'.repeat(40)}y`]) {
      expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: guessable }, options)).toThrow(
        /JWT_SECRET is a few characters repeated/,
      );
    }
    const production = { NODE_ENV: 'production', JWT_SECRET: strong };
    expect(() =>
      loadConfig({ ...production, JWT_PREVIOUS_SECRETS: 'b'.repeat(32) }, options),
    ).toThrow(/not a few characters repeated/);
    // The weakest random secret the message suggests passes: 16 random bytes as hex.
    for (let i = 0; i < 200; i++) {
      const hex = randomBytes(16).toString('hex');
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: hex }, options).jwtSecret).toBe(hex);
    }
  });

  test('a variable set to nothing is not set: its default applies', () => {
    const config = loadConfig({ PORT: '', SESSION_CACHE_SECONDS: ' ', DATABASE_URL: '' }, options);

    expect(config.port).toBe(8000);
    expect(config.sessionCache.maxAgeSeconds).toBe(60);
    expect(config.databaseUrl).toBe('sqlite:data/app.db');
  });

  test('DATABASE_URL sqlite: names a file (or :memory:)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:' }, options)).toThrow(
      'Invalid setting DATABASE_URL: must be sqlite:<file>, sqlite::memory: or postgres://user:pass@host:5432/db',
    );
  });

  test('timers and ages stay within what a timer and a date can hold', () => {
    for (const [name, refused] of [
      ['MESSAGE_RELAY_INTERVAL_MS', '3000000000'],
      ['MESSAGE_RETENTION_HOURS', '1e10'],
      ['MESSAGE_RETRY_MAX_DELAY_MS', '1e15'],
    ]) {
      expect(() => loadConfig({ [name as string]: refused }, options), name).toThrow(ConfigError);
    }
  });

  test('production takes a strong secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: strong }, options);

    expect(config.jwtSecret).toBe(strong);
    expect(config.jwtSecretWarning).toBeUndefined();
  });

  test('logs pretty lines only in development at a terminal', () => {
    const format = (NODE_ENV: string, logsToTerminal: boolean) =>
      loadConfig({ NODE_ENV, JWT_SECRET: strong }, { ...options, logsToTerminal }).logFormat;

    expect(format('development', true)).toBe('pretty');
    expect(format('development', false)).toBe('json');
    expect(format('production', true)).toBe('json');
    expect(format('test', true)).toBe('json');
  });

  test('trusts no proxy unless told which', () => {
    expect(loadConfig({}, options).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }, options).trustProxy).toBe(true);
    expect(
      loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, loopback ,2001:db8::1' }, options).trustProxy,
    ).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::1']);
  });

  test.each(['2', 'proxy.internal', '10.0.0.0/33', '10.0.0.1,', '::1/129'])(
    'TRUST_PROXY=%s stops start-up with the entry named',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value }, options)).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value }, options)).toThrow(
        /^Invalid setting TRUST_PROXY: "/,
      );
    },
  );

  test.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['LOG_LEVEL', 'loud'],
    ['SQLITE_GROUP_COMMIT', 'no'],
  ])('a bad %s stops start-up with the setting named', (name, value) => {
    expect(() => loadConfig({ [name]: value }, options)).toThrow(
      new RegExp(`Invalid setting ${name}`),
    );
  });
});

describe('the HTTP edge and login throttling settings', () => {
  test('have production-sane defaults: bounded timeouts, no CORS, no HSTS, the database for counters', () => {
    const config = loadConfig({}, options);

    expect(config.httpEdge).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      connectionTimeoutMs: 60_000,
      maxConnections: 4096,
      corsOrigins: [],
      hstsMaxAgeSeconds: 0,
    });
    expect(config.loginThrottle).toEqual({ failuresBeforeDelay: 5, maxDelaySeconds: 60 });
    expect(config.redisUrl).toBeUndefined();
  });

  test('session statuses are kept 60 s at most, 10,000 of them; 0 s keeps none; negative stops the process', () => {
    expect(loadConfig({}, options).sessionCache).toEqual({ maxAgeSeconds: 60, maxEntries: 10_000 });
    expect(loadConfig({ SESSION_CACHE_SECONDS: '0' }, options).sessionCache.maxAgeSeconds).toBe(0);
    expect(() => loadConfig({ SESSION_CACHE_SECONDS: '-1' }, options)).toThrow(
      /SESSION_CACHE_SECONDS/,
    );
  });

  test('the headers timeout never exceeds the request timeout', () => {
    const config = loadConfig(
      { HTTP_REQUEST_TIMEOUT_SECONDS: '5', HTTP_HEADERS_TIMEOUT_SECONDS: '20' },
      options,
    );
    expect(config.httpEdge).toMatchObject({ requestTimeoutMs: 5000, headersTimeoutMs: 5000 });
  });

  test('CORS_ORIGINS is a list of origins; anything else stops the process', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }, options)
        .httpEdge.corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/path' }, options)).toThrow(
      /CORS_ORIGINS: "https:\/\/app.example.com\/path" is not an origin/,
    );
    expect(() => loadConfig({ CORS_ORIGINS: '*' }, options)).toThrow(ConfigError);
  });

  test('REDIS_URL must be a redis:// address', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, options).redisUrl).toBe(
      'redis://127.0.0.1:6379',
    );
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1' }, options)).toThrow(/REDIS_URL/);
  });
});

describe('Ed25519 signing keys', () => {
  const pemOf = (key: KeyObject, type: 'pkcs8' | 'spki') =>
    key.export({ format: 'pem', type }) as string;
  const pair = () => generateKeyPairSync('ed25519');

  test('JWT_PRIVATE_KEY alone starts production, with no shared secret made up', () => {
    const { privateKey } = pair();
    const config = loadConfig(
      { NODE_ENV: 'production', JWT_PRIVATE_KEY: pemOf(privateKey, 'pkcs8') },
      options,
    );

    expect(config.jwtSigningKeys?.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(config.jwtSecret).toBeUndefined();
    expect(config.jwtSecretWarning).toBeUndefined();
  });

  test('verification keys, several in one variable, and \\n escapes for line breaks', () => {
    const { privateKey } = pair();
    const others = [pair().publicKey, pair().publicKey].map((key) => pemOf(key, 'spki'));
    const config = loadConfig(
      {
        JWT_PRIVATE_KEY: pemOf(privateKey, 'pkcs8').replaceAll('\n', '\\n'),
        JWT_VERIFICATION_KEYS: others.join('\n'),
      },
      options,
    );

    expect(config.jwtSigningKeys?.verificationKeys).toHaveLength(2);
  });

  test('a key that is not an Ed25519 PEM key of its kind stops the service, without quoting it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const load = (env: Record<string, string>) => () => loadConfig(env, options);
    const signing = { JWT_PRIVATE_KEY: pemOf(pair().privateKey, 'pkcs8') };

    expect(load({ JWT_PRIVATE_KEY: pemOf(rsa, 'pkcs8') })).toThrow(
      /JWT_PRIVATE_KEY must be an Ed25519 key, not rsa/,
    );
    expect(load({ JWT_PRIVATE_KEY: 'not-a-key-0123456789' })).toThrow(
      /^JWT_PRIVATE_KEY is not a PEM private key \(make one with: openssl genpkey -algorithm ed25519\)\.$/,
    );
    expect(load({ JWT_PRIVATE_KEY: pemOf(pair().publicKey, 'spki') })).toThrow(
      /JWT_PRIVATE_KEY is not a PEM private key/,
    );
    expect(load({ JWT_VERIFICATION_KEYS: pemOf(pair().publicKey, 'spki') })).toThrow(
      /JWT_VERIFICATION_KEYS is set without JWT_PRIVATE_KEY/,
    );
    expect(load({ ...signing, JWT_VERIFICATION_KEYS: 'x' })).toThrow(
      /JWT_VERIFICATION_KEYS must hold PEM public keys and nothing else/,
    );
    // A valid key followed by one cut short, or by junk: not silently dropped.
    const publicPem = pemOf(pair().publicKey, 'spki');
    expect(
      load({ ...signing, JWT_VERIFICATION_KEYS: `${publicPem}${publicPem.slice(0, 40)}` }),
    ).toThrow(/nothing else/);
    // A private key pasted where public ones go is refused, not published.
    const secretHalf = pemOf(pair().privateKey, 'pkcs8');
    expect(load({ ...signing, JWT_VERIFICATION_KEYS: `${publicPem}${secretHalf}` })).toThrow(
      /^JWT_VERIFICATION_KEYS holds a PRIVATE KEY block: only public keys belong there\.$/,
    );
  });

  test('production without either a strong secret or a private key is refused', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, options)).toThrow(
      /JWT_SECRET must be set .* or JWT_PRIVATE_KEY to an Ed25519 key/,
    );
  });

  test('beside a private key, a weak secret is refused in production and a strong one warned of', () => {
    const JWT_PRIVATE_KEY = pemOf(pair().privateKey, 'pkcs8');
    const production = { NODE_ENV: 'production', JWT_PRIVATE_KEY };
    expect(() => loadConfig({ ...production, JWT_SECRET: 'short' }, options)).toThrow(
      /JWT_SECRET is shorter than 32 bytes: unset it to use JWT_PRIVATE_KEY alone/,
    );
    expect(() => loadConfig({ ...production, JWT_PREVIOUS_SECRETS: 'short' }, options)).toThrow(
      /JWT_PREVIOUS_SECRETS/,
    );
    const both = loadConfig({ ...production, JWT_SECRET: strong }, options);
    expect(both.jwtSecret).toBe(strong);
    expect(both.jwtSecretWarning).toMatch(/JWT_SECRET is set beside JWT_PRIVATE_KEY.*Unset it/);
  });
});

describe('telemetry settings', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

  test('tracing is off without an OTLP endpoint; metrics are on, on the API port', () => {
    expect(loadConfig({}, options).telemetry).toEqual({
      tracing: undefined,
      metricsEnabled: true,
      metricsPort: undefined,
    });
  });

  test('an endpoint turns tracing on: protobuf, the package name, parent-based sampling', () => {
    expect(loadConfig(endpoint, options).telemetry.tracing).toEqual({
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      serviceName: 'taskflow',
      sampler: { kind: 'parentbased_always_on' },
      batch: {},
      limits: {},
    });
  });

  test("OpenTelemetry's own variables: service name, protocol, sampler, and the off switches", () => {
    const tracing = (more: Record<string, string>) =>
      loadConfig({ ...endpoint, ...more }, options).telemetry.tracing;
    expect(
      tracing({
        OTEL_SERVICE_NAME: 'tasks-eu',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toEqual({
      exporters: ['otlp'],
      protocol: 'http/json',
      serviceName: 'tasks-eu',
      sampler: { kind: 'parentbased_traceidratio', ratio: 0.25 },
      batch: {},
      limits: {},
    });
    expect(tracing({ OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracing({ OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }, options)
        .telemetry.tracing,
    ).toBeDefined();
  });

  test('OTEL_TRACES_EXPORTER names the exporters: otlp (to localhost:4318 without an endpoint), console, both', () => {
    const exporters = (env: Record<string, string>) =>
      loadConfig(env, options).telemetry.tracing?.exporters;
    expect(exporters({ OTEL_TRACES_EXPORTER: 'console' })).toEqual(['console']);
    expect(exporters({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual(['otlp']);
    expect(exporters({ ...endpoint, OTEL_TRACES_EXPORTER: ' OTLP, console ' })).toEqual([
      'otlp',
      'console',
    ]);
    expect(exporters({ OTEL_TRACES_EXPORTER: 'console', OTEL_SDK_DISABLED: 'true' })).toBe(
      undefined,
    );
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' }, options)).toThrow(
      /OTEL_TRACES_EXPORTER.*zipkin.*otlp, console or none/,
    );
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'none,console' }, options)).toThrow(
      /OTEL_TRACES_EXPORTER/,
    );
    // The OTLP protocol matters only to the OTLP exporter.
    expect(
      exporters({ OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toEqual(['console']);
  });

  test("the batch processor's and the span limits' variables, the span's own winning", () => {
    const tracing = loadConfig(
      {
        ...endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BSP_EXPORT_TIMEOUT: '10000',
        OTEL_BSP_MAX_QUEUE_SIZE: '8192',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1024',
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '4096',
        OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1024',
        OTEL_ATTRIBUTE_COUNT_LIMIT: '64',
        OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '48',
        OTEL_SPAN_EVENT_COUNT_LIMIT: '16',
        OTEL_SPAN_LINK_COUNT_LIMIT: '8',
        OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '4',
        OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '2',
      },
      options,
    ).telemetry.tracing;
    expect(tracing?.batch).toEqual({
      scheduledDelayMillis: 200,
      exportTimeoutMillis: 10_000,
      maxQueueSize: 8192,
      maxExportBatchSize: 1024,
    });
    expect(tracing?.limits).toEqual({
      attributeValueLengthLimit: 1024,
      attributeCountLimit: 48,
      eventCountLimit: 16,
      linkCountLimit: 8,
      attributePerEventCountLimit: 4,
      attributePerLinkCountLimit: 2,
    });
  });

  test('the general attribute limits apply to spans when theirs are not set', () => {
    expect(
      loadConfig(
        { ...endpoint, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '256', OTEL_ATTRIBUTE_COUNT_LIMIT: '32' },
        options,
      ).telemetry.tracing?.limits,
    ).toEqual({ attributeValueLengthLimit: 256, attributeCountLimit: 32 });
  });

  test('a batch or limit that is not a whole number, or a batch larger than the queue, stops it', () => {
    const bad = (more: Record<string, string>) => () =>
      loadConfig({ ...endpoint, ...more }, options);
    expect(bad({ OTEL_BSP_SCHEDULE_DELAY: '5s' })).toThrow(/OTEL_BSP_SCHEDULE_DELAY: "5s"/);
    expect(bad({ OTEL_BSP_MAX_QUEUE_SIZE: '0' })).toThrow(
      /OTEL_BSP_MAX_QUEUE_SIZE: "0" \(a whole number from 1 to/,
    );
    expect(bad({ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-1' })).toThrow(
      /OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT/,
    );
    expect(bad({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '1e3' })).toThrow(
      /OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT/,
    );
    // 0 would time every export out at once; a length limit of 0 would mean no limit at all.
    expect(bad({ OTEL_BSP_EXPORT_TIMEOUT: '0' })).toThrow(/OTEL_BSP_EXPORT_TIMEOUT.*from 1/);
    expect(bad({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '0' })).toThrow(
      /OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT/,
    );
    // A timer of more than 2^31-1 ms would fire at once.
    expect(bad({ OTEL_BSP_SCHEDULE_DELAY: '3000000000' })).toThrow(/to 2147483647/);
    // The general limit is checked even where the span's own wins.
    expect(
      bad({ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '8', OTEL_ATTRIBUTE_COUNT_LIMIT: 'junk' }),
    ).toThrow(/OTEL_ATTRIBUTE_COUNT_LIMIT: "junk"/);
    expect(bad({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096' })).toThrow(
      /OTEL_BSP_MAX_EXPORT_BATCH_SIZE.*OTEL_BSP_MAX_QUEUE_SIZE/,
    );
    expect(
      bad({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096', OTEL_BSP_MAX_QUEUE_SIZE: '4096' }),
    ).not.toThrow();
  });

  test('a protocol or sampler the service does not offer stops it with the variable named', () => {
    expect(() => loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, options)).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL.*grpc is not supported/,
    );
    expect(() =>
      loadConfig(
        { ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
        options,
      ),
    ).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });

  test('METRICS_ENABLED and METRICS_PORT', () => {
    expect(
      loadConfig({ METRICS_ENABLED: 'false', METRICS_PORT: '9464' }, options).telemetry,
    ).toMatchObject({ metricsEnabled: false, metricsPort: 9464 });
    expect(() => loadConfig({ METRICS_PORT: 'none' }, options)).toThrow(ConfigError);
  });
});
