import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';

const MIN_SECRET_BYTES = 32;

/**
 * Where development keeps the JWT secret it made up, so that a restart (`npm run dev` restarts
 * on every save) does not log everybody out. Relative paths are from the working directory,
 * like the default database.
 */
export const DEVELOPMENT_SECRET_FILE = 'data/dev-jwt-secret';

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
  /** Pretty lines for a person in development at a terminal; JSON lines otherwise. */
  logFormat: 'json' | 'pretty';
  bodyLimitBytes: number;
  authRateLimitPerMinute: number;
  runMigrationsOnStart: boolean;
  trustProxy: TrustProxy;
  /** Why the JWT secret is not fit for production, when it is not; the caller logs it. */
  jwtSecretWarning: string | undefined;
}

export class ConfigError extends Error {}

export interface ConfigOptions {
  /** Where development keeps its made-up JWT secret; tests point it at a temporary file. */
  developmentSecretFile?: string;
  /** Whether the logs go to a terminal (a person reads them) rather than a file or a pipe. */
  logsToTerminal?: boolean;
}

/**
 * Reads the settings once, at start-up. A bad value stops the process with one line
 * saying which setting and why; production refuses to start without a strong JWT secret.
 */
export function loadConfig(
  environment: NodeJS.ProcessEnv = process.env,
  {
    developmentSecretFile = DEVELOPMENT_SECRET_FILE,
    logsToTerminal = process.stdout.isTTY === true,
  }: ConfigOptions = {},
): Config {
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
    logFormat: env.NODE_ENV === 'development' && logsToTerminal ? 'pretty' : 'json',
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    runMigrationsOnStart: (env.RUN_MIGRATIONS_ON_START ?? 'true') === 'true',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    jwtSecretWarning,
  };
}

const newSecret = () => randomBytes(48).toString('base64');

/** The secret in `file`, made (readable by its owner only) when there is none yet. */
function keptSecret(file: string): string {
  const kept = readSecretFile(file);
  if (kept !== undefined) return kept;
  // Written under a temporary name, then linked into place: linking fails when the file
  // exists, so two processes starting at once end up with the same secret, never half of one.
  const secret = newSecret();
  const draft = `${file}.${process.pid}.tmp`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(draft, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecretFile(file) ?? secret;
  } finally {
    rmSync(draft, { force: true });
  }
}

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (Buffer.byteLength(text) < MIN_SECRET_BYTES) {
    throw new ConfigError(
      `${file} holds fewer than ${MIN_SECRET_BYTES} bytes: delete it, and the next start makes a new secret.`,
    );
  }
  return text;
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
