import { z } from 'zod';
import { ConfigError } from './config/config-error.ts';
import {
  DEVELOPMENT_SECRET_FILE,
  keptSecret,
  MIN_SECRET_BYTES,
  newSecret,
} from './config/development-secret.ts';
import { isGuessable } from './config/guessable-secret.ts';
import {
  type HttpEdgeSettings,
  type LoginThrottleSettings,
  parseCorsOrigins,
  type SessionCacheSettings,
} from './config/hardening.ts';
import { servicePackage } from './config/package.ts';
import { parseSigningKeys, type SigningKeys } from './config/signing-keys.ts';
import { parseTracing, type TelemetrySettings } from './config/telemetry.ts';
import { parseTrustProxy, type TrustProxy } from './config/trust-proxy.ts';

export { DEVELOPMENT_SECRET_FILE } from './config/development-secret.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const TEN_YEARS_HOURS = 87_600;

const Environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(
      /^(sqlite:.|postgres(ql)?:\/\/)/,
      'must be sqlite:<file>, sqlite::memory: or postgres://user:pass@host:5432/db',
    )
    .default('sqlite:data/app.db'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_READ_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(2),
  DATABASE_READ_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  DATABASE_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  DATABASE_WAIT_SECONDS: z.coerce.number().min(0).max(600).default(30),
  SQLITE_GROUP_COMMIT: z.enum(['true', 'false']).default('true'),
  JWT_SECRET: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(60 * 60 * 24)
    .default(900),
  JWT_PREVIOUS_SECRETS: z.string().optional(),
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_VERIFICATION_KEYS: z.string().optional(),
  SESSION_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(60 * 60 * 24 * 365)
    .default(60 * 60 * 24 * 30),
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(60 * 60 * 24 * 365)
    .default(60 * 60 * 24 * 7),
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  SESSION_CACHE_ENTRIES: z.coerce.number().int().min(1).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  RUN_MIGRATIONS_ON_START: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.string().optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_NAMESPACE: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'letters, digits, ".", "-" and "_" only')
    .default('taskflow'),
  LOGIN_FAILURES_BEFORE_DELAY: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(10),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(72),
  HTTP_CONNECTION_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(60),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(4096),
  CORS_ORIGINS: z.string().optional(),
  HSTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(0),
  MESSAGE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  MESSAGE_RETRY_FIRST_DELAY_MS: z.coerce.number().int().min(0).max(DAY_MS).default(1_000),
  MESSAGE_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(0).max(DAY_MS).default(300_000),
  MESSAGE_RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(HOUR_MS).default(1_000),
  MESSAGE_RELAY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  MESSAGE_LEASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  MESSAGE_RETENTION_HOURS: z.coerce.number().min(0).max(TEN_YEARS_HOURS).default(168),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Taskflow <no-reply@taskflow.local>'),
  MAIL_DIR: z.string().min(1).default('data/mail'),
  WEB_CLIENT_DIR: z.string().min(1).default('web/dist'),
  BROKER_URL: z
    .string()
    .regex(/^amqps?:\/\//, 'must start with amqp:// or amqps://')
    .optional(),
  BROKER_NAMESPACE: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'letters, digits, ".", "-" and "_" only')
    .default('taskflow'),
  RUN_WORKERS: z.enum(['true', 'false']).default('true'),
  TASKFLOW_FAILPOINT: z.enum(['kill-after-commit']).optional(),
  METRICS_ENABLED: z.enum(['true', 'false']).default('true'),
  METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
});

export type {
  HttpEdgeSettings,
  LoginThrottleSettings,
  SessionCacheSettings,
} from './config/hardening.ts';
export type { TelemetrySettings, TracingSettings } from './config/telemetry.ts';
export type { TrustProxy } from './config/trust-proxy.ts';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  /** PostgreSQL: the connections the read models' queries are pipelined on (ADR 21). */
  databaseReadConnections: number;
  /** PostgreSQL: how long a read waits for its answer before its connection counts as lost. */
  databaseReadTimeoutMs: number;
  /** PostgreSQL: how long a statement of a unit of work may go unanswered (a lock wait included). */
  databaseCommandTimeoutMs: number;
  /** How long start-up waits for the database to answer before giving up. */
  databaseWaitSeconds: number;
  /**
   * SQLite: the units of work of one event-loop turn share one COMMIT (the default); false
   * gives each its own transaction, the simple path for debugging.
   */
  sqliteGroupCommit: boolean;
  /** HS256: signs new tokens unless `jwtSigningKeys` is set; none when only that is set. */
  jwtSecret: string | undefined;
  /** EdDSA (Ed25519): when set, signs new tokens instead; its public keys are published. */
  jwtSigningKeys: SigningKeys | undefined;
  /** Keys of before a rotation: tokens they signed are still accepted, none is signed. */
  jwtPreviousSecrets: string[];
  /** Also the longest lifetime an access token may claim. */
  accessTokenTtlSeconds: number;
  /** A session's absolute lifetime, and how long it lives without a refresh. */
  sessionLifetimeSeconds: number;
  sessionIdleTimeoutSeconds: number;
  /** How long and how many session statuses a process keeps (ADR 19, ADR 22); 0 s: none. */
  sessionCache: SessionCacheSettings;
  logLevel: string;
  /** Pretty lines for a person in development at a terminal; JSON lines otherwise. */
  logFormat: 'json' | 'pretty';
  bodyLimitBytes: number;
  authRateLimitPerMinute: number;
  runMigrationsOnStart: boolean;
  trustProxy: TrustProxy;
  /** The outbox relay and its retries (ADR 15). */
  messages: {
    maxAttempts: number;
    retryFirstDelayMs: number;
    retryMaxDelayMs: number;
    relayIntervalMs: number;
    /** Messages of a batch delivered at once (started in id order). */
    relayConcurrency: number;
    leaseMs: number;
    retentionMs: number;
  };
  /**
   * RabbitMQ between processes (ADR 16): unset, messages are delivered in process. The
   * namespace prefixes the exchanges and queues, so several deployments share a broker.
   */
  broker: { url: string; namespace: string } | undefined;
  /** Whether this process polls the outboxes and consumes the broker's queues (ADR 16). */
  runWorkers: boolean;
  /** Email: SMTP when `smtpUrl` is set, `.eml` files in `mailDirectory` otherwise. */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDirectory: string;
  /** The built web client served at `/` (`npm run web:build`); not served when absent. */
  webClientDirectory: string;
  /** Test-only: `kill-after-commit` kills the process after a COMMIT, before its messages go. */
  failpoint: 'kill-after-commit' | undefined;
  /** Why the JWT secret is not fit for production, when it is not; the caller logs it. */
  jwtSecretWarning: string | undefined;
  /** Where processes share their login-throttling counters; the database when unset. */
  redisUrl: string | undefined;
  /** Prefixes every key the service keeps in Redis, so several deployments can share one. */
  redisNamespace: string;
  loginThrottle: LoginThrottleSettings;
  httpEdge: HttpEdgeSettings;
  /** Traces (OpenTelemetry, off unless an OTLP endpoint or an exporter is set) and Prometheus metrics. */
  telemetry: TelemetrySettings;
}

export { ConfigError } from './config/config-error.ts';

export interface ConfigOptions {
  /** Where development keeps its made-up JWT secret; tests point it at a temporary file. */
  developmentSecretFile?: string;
  /** Whether the logs go to a terminal (a person reads them) rather than a file or a pipe. */
  logsToTerminal?: boolean;
}

/**
 * The variables that are set: one set to nothing (`PORT=`, or spaces) is read as not set,
 * as a shell or a compose file leaves a variable it had no value for; `z.coerce.number`
 * would make it 0.
 */
function setValues(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
}

/**
 * Reads the settings once, at start-up. A bad value stops the process with one line
 * saying which setting and why; production refuses to start without a strong JWT secret or
 * an Ed25519 signing key.
 */
export function loadConfig(
  environment: NodeJS.ProcessEnv = process.env,
  {
    developmentSecretFile = DEVELOPMENT_SECRET_FILE,
    logsToTerminal = process.stdout.isTTY === true,
  }: ConfigOptions = {},
): Config {
  const parsed = Environment.safeParse(setValues(environment));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const env = parsed.data;
  const jwtSigningKeys = parseSigningKeys(env.JWT_PRIVATE_KEY, env.JWT_VERIFICATION_KEYS);
  let jwtSecret: string | undefined = env.JWT_SECRET ?? '';
  let jwtSecretWarning: string | undefined;
  if (jwtSigningKeys && jwtSecret === '') {
    // EdDSA alone: no shared secret is needed, nor made up.
    jwtSecret = undefined;
  } else if (Buffer.byteLength(jwtSecret) < MIN_SECRET_BYTES) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError(
        jwtSigningKeys
          ? `JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes: unset it to use JWT_PRIVATE_KEY alone.`
          : `JWT_SECRET must be set to at least ${MIN_SECRET_BYTES} bytes in production (try: openssl rand -base64 48), or JWT_PRIVATE_KEY to an Ed25519 key.`,
      );
    }
    if (jwtSecret !== '') {
      jwtSecretWarning = `JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes: fine for development, refused in production.`;
    } else if (env.NODE_ENV === 'development') {
      jwtSecret = keptSecret(developmentSecretFile);
      jwtSecretWarning = `JWT_SECRET is not set: using the development secret kept in ${developmentSecretFile} (refused in production).`;
    } else {
      // NODE_ENV=test: nothing is written to disk; a test that needs tokens to survive a
      // restart sets JWT_SECRET.
      jwtSecret = newSecret();
      jwtSecretWarning =
        'JWT_SECRET is not set: using a random secret, so tokens stop working when the process restarts.';
    }
  }
  if (jwtSigningKeys && jwtSecret) {
    // A migration from HS256: whoever holds the secret can still make tokens this accepts.
    jwtSecretWarning = `JWT_SECRET is set beside JWT_PRIVATE_KEY: tokens it signed still verify. Unset it once they have expired (${env.ACCESS_TOKEN_TTL_SECONDS} s after the switch).`;
  }
  if (env.NODE_ENV === 'production' && jwtSecret && isGuessable(jwtSecret)) {
    throw new ConfigError(
      'JWT_SECRET is a few characters repeated, which anyone could guess: use a random one (openssl rand -base64 48).',
    );
  }
  const jwtPreviousSecrets = (env.JWT_PREVIOUS_SECRETS ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
  if (
    env.NODE_ENV === 'production' &&
    jwtPreviousSecrets.some(
      (secret) => Buffer.byteLength(secret) < MIN_SECRET_BYTES || isGuessable(secret),
    )
  ) {
    throw new ConfigError(
      `Each of JWT_PREVIOUS_SECRETS must be at least ${MIN_SECRET_BYTES} bytes in production, and not a few characters repeated.`,
    );
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databaseReadConnections: env.DATABASE_READ_CONNECTIONS,
    databaseReadTimeoutMs: env.DATABASE_READ_TIMEOUT_MS,
    databaseCommandTimeoutMs: env.DATABASE_COMMAND_TIMEOUT_MS,
    databaseWaitSeconds: env.DATABASE_WAIT_SECONDS,
    sqliteGroupCommit: env.SQLITE_GROUP_COMMIT === 'true',
    jwtSecret,
    jwtSigningKeys,
    jwtPreviousSecrets,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    sessionLifetimeSeconds: env.SESSION_LIFETIME_SECONDS,
    sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
    sessionCache: {
      maxAgeSeconds: env.SESSION_CACHE_SECONDS,
      maxEntries: env.SESSION_CACHE_ENTRIES,
    },
    logLevel: env.LOG_LEVEL,
    logFormat: env.NODE_ENV === 'development' && logsToTerminal ? 'pretty' : 'json',
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    runMigrationsOnStart: (env.RUN_MIGRATIONS_ON_START ?? 'true') === 'true',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    messages: {
      maxAttempts: env.MESSAGE_MAX_ATTEMPTS,
      retryFirstDelayMs: env.MESSAGE_RETRY_FIRST_DELAY_MS,
      retryMaxDelayMs: env.MESSAGE_RETRY_MAX_DELAY_MS,
      relayIntervalMs: env.MESSAGE_RELAY_INTERVAL_MS,
      relayConcurrency: env.MESSAGE_RELAY_CONCURRENCY,
      leaseMs: env.MESSAGE_LEASE_SECONDS * 1000,
      retentionMs: env.MESSAGE_RETENTION_HOURS * 3_600_000,
    },
    broker:
      env.BROKER_URL === undefined
        ? undefined
        : { url: env.BROKER_URL, namespace: env.BROKER_NAMESPACE },
    runWorkers: env.RUN_WORKERS === 'true',
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    mailDirectory: env.MAIL_DIR,
    webClientDirectory: env.WEB_CLIENT_DIR,
    failpoint: env.TASKFLOW_FAILPOINT,
    jwtSecretWarning,
    redisUrl: env.REDIS_URL,
    redisNamespace: env.REDIS_NAMESPACE,
    loginThrottle: {
      failuresBeforeDelay: env.LOGIN_FAILURES_BEFORE_DELAY,
      maxDelaySeconds: env.LOGIN_MAX_DELAY_SECONDS,
    },
    httpEdge: {
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      headersTimeoutMs:
        Math.min(env.HTTP_HEADERS_TIMEOUT_SECONDS, env.HTTP_REQUEST_TIMEOUT_SECONDS) * 1000,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      connectionTimeoutMs: env.HTTP_CONNECTION_TIMEOUT_SECONDS * 1000,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
      corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
      hstsMaxAgeSeconds: env.HSTS_MAX_AGE_SECONDS,
    },
    telemetry: {
      tracing: parseTracing(environment, servicePackage.name),
      metricsEnabled: env.METRICS_ENABLED === 'true',
      metricsPort: env.METRICS_PORT,
    },
  };
}
