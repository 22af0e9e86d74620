import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

const MIN_SECRET_BYTES = 32;

const Environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .default('sqlite:data/app.db'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_WAIT_SECONDS: z.coerce.number().min(0).max(600).default(30),
  SQLITE_GROUP_COMMIT: z.enum(['true', 'false']).default('true'),
  JWT_SECRET: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(60 * 60 * 24 * 30)
    .default(3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  RUN_MIGRATIONS_ON_START: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.string().optional(),
});

/**
 * Whose `X-Forwarded-For` to believe when telling the client's address (the auth rate limit
 * counts per address): nobody, everybody, or proxies at these addresses and ranges.
 * Fastify's `trustProxy` setting (which no longer takes a number of hops: it cannot check
 * the nearest peer, so Fastify trusts nobody then).
 */
export type TrustProxy = boolean | string[];

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  /** How long start-up waits for the database to answer before giving up. */
  databaseWaitSeconds: number;
  /**
   * SQLite: the units of work of one event-loop turn share one COMMIT (the default); false
   * gives each its own transaction, the simple path for debugging.
   */
  sqliteGroupCommit: boolean;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  logLevel: string;
  bodyLimitBytes: number;
  authRateLimitPerMinute: number;
  runMigrationsOnStart: boolean;
  trustProxy: TrustProxy;
  /** Why the JWT secret is not fit for production, when it is not; the caller logs it. */
  jwtSecretWarning: string | undefined;
}

export class ConfigError extends Error {}

/**
 * Reads the settings once, at start-up. A bad value stops the process with one line
 * saying which setting and why; production refuses to start without a strong JWT secret.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Environment.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const env = parsed.data;
  let jwtSecret = env.JWT_SECRET ?? '';
  let jwtSecretWarning: string | undefined;
  if (Buffer.byteLength(jwtSecret) < MIN_SECRET_BYTES) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError(
        `JWT_SECRET must be set to at least ${MIN_SECRET_BYTES} bytes in production (try: openssl rand -base64 48).`,
      );
    }
    if (jwtSecret === '') {
      jwtSecret = randomBytes(48).toString('base64');
      jwtSecretWarning =
        'JWT_SECRET is not set: using a random secret, so tokens stop working when the process restarts.';
    } else {
      jwtSecretWarning = `JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes: fine for development, refused in production.`;
    }
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databaseWaitSeconds: env.DATABASE_WAIT_SECONDS,
    sqliteGroupCommit: env.SQLITE_GROUP_COMMIT === 'true',
    jwtSecret,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    runMigrationsOnStart: (env.RUN_MIGRATIONS_ON_START ?? 'true') === 'true',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    jwtSecretWarning,
  };
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `false` (the default), `true`, or a comma-separated list of addresses, CIDR ranges and
 * the names `loopback`, `linklocal`, `uniquelocal`. */
function parseTrustProxy(value = 'false'): TrustProxy {
  const text = value.trim();
  if (text === 'false' || text === '') return false;
  if (text === 'true') return true;
  const entries = text.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !NAMED_RANGES.has(entry) && !isAddressOrRange(entry));
  if (invalid !== undefined) {
    throw new ConfigError(
      `Invalid setting TRUST_PROXY: "${invalid}" is not true, false, an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
    );
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return (
    prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128))
  );
}
