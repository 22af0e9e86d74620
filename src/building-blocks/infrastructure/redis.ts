import type { Redis } from 'ioredis';
import { StartupError } from './startup-error.ts';

/**
 * How long a command may wait for Redis's answer. The counters are read and written while a
 * request waits: a Redis that stopped answering (a network partition) fails the request
 * within this time, as a 503, instead of holding it until the connection times out.
 */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * A Redis client for counters that several processes share, not yet connected (`connectRedis`
 * connects it). While Redis is down or being reconnected to, a command fails at once (no
 * queue of commands waiting for the connection) and one without an answer fails after
 * `COMMAND_TIMEOUT_MS`, dropping the connection; the client reconnects by itself. Connection
 * errors are reported through `connectRedis`, not printed by ioredis.
 */
export async function redisClient(url: string): Promise<Redis> {
  // Loaded only when Redis is configured: a service without it never loads ioredis.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // A connection that has not answered a command for this long is dropped and made again
    // (a silent connection would otherwise time out every command for as long as TCP keeps it).
    socketTimeout: COMMAND_TIMEOUT_MS,
  });
  // Without a listener, ioredis prints every failed reconnection with its stack to stderr.
  redis.on('error', () => {});
  return redis;
}

/** How long start-up waits for Redis's first answer before it goes on without Redis. */
const FIRST_CONNECTION_WAIT_MS = 3_000;
/** While Redis stays away, the outage is logged again this often. */
const OUTAGE_REMINDER_MS = 5 * 60_000;

interface RedisLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/**
 * Connects, and logs when Redis is lost (once, then every few minutes while it stays away,
 * not at every reconnection attempt) and when it is back.
 *
 * Start-up waits a few seconds for the first connection. A Redis that refuses the settings
 * (a host name that does not resolve, a password or a certificate it refuses, a database
 * number it does not have) stops the start in one line: waiting would not cure it, and an
 * instance that started all the same would refuse every login. A Redis that is down or does
 * not answer yet is an outage like one met later: the service starts, logins answer 503 until
 * Redis is reachable, and the client connects by itself when it is (an instance restarted
 * during a Redis outage comes back for everything else).
 */
export async function connectRedis(redis: Redis, log: RedisLog): Promise<void> {
  const where = `${redis.options.host}:${redis.options.port}`;
  let firstError: Error | undefined;
  let lostAt: number | undefined;
  let toldAt = 0;
  redis.on('error', (error: Error) => {
    firstError ??= error;
    const now = Date.now();
    if (lostAt === undefined) {
      lostAt = toldAt = now;
      log.warn(
        { redis: where, cause: error.message },
        'Redis is unavailable: logins and password checks answer 503 until it is back',
      );
    } else if (now - toldAt >= OUTAGE_REMINDER_MS) {
      toldAt = now;
      log.warn(
        { redis: where, cause: error.message, minutes: Math.round((now - lostAt) / 60_000) },
        'Redis is still unavailable: logins and password checks answer 503',
      );
    }
  });
  redis.on('ready', () => {
    if (lostAt === undefined) return log.info({ redis: where }, 'Redis connected');
    lostAt = undefined;
    log.info({ redis: where }, 'Redis is available again');
  });
  // A failed first attempt is retried by the client, like a lost connection.
  const connected = redis.connect().then(
    () => true,
    () => false,
  );
  const timer = new Promise<false>((resolve) =>
    setTimeout(resolve, FIRST_CONNECTION_WAIT_MS, false).unref(),
  );
  await Promise.race([connected, timer]);
  // Even once connected: a database number Redis does not have fails the SELECT, and the
  // client would go on in database 0.
  if (firstError && refusesSettings(firstError)) {
    redis.disconnect();
    throw new StartupError(
      `Redis at ${where} refuses the settings (${firstError.message}): check REDIS_URL.`,
      firstError,
    );
  }
}

/** An answer that waiting would not change: the settings are wrong, not Redis away. */
function refusesSettings(error: Error): boolean {
  const { code } = error as { code?: string };
  return (
    code === 'ENOTFOUND' ||
    /^(ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code ?? '') ||
    /^(WRONGPASS|NOAUTH|ERR (AUTH|DB index|invalid DB))/i.test(error.message)
  );
}

/** Closes the connection: politely when it is up, at once when it is not (Redis down). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Lost meanwhile: dropped below.
    }
  }
  redis.disconnect();
}
