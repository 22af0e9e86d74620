import type { Redis } from 'ioredis';
import { redact } from './redact-url.ts';

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

/**
 * Connects in the background and logs when Redis is lost (once, not at every reconnection
 * attempt) and when it is back. A Redis that does not answer at start-up is the same outage
 * as one lost later: the service starts, logins answer 503 until Redis is reachable, and the
 * log says so (an instance restarted during a Redis outage comes back for everything else).
 */
export function connectRedis(
  redis: Redis,
  url: string,
  log: { warn(fields: object, message: string): void; info(message: string): void },
): void {
  let lost = false;
  redis.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    log.warn(
      { redis: redact(url), cause: error.message },
      'Redis is unavailable: logins and password checks answer 503 until it is back',
    );
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    log.info('Redis is available again');
  });
  // A failed first attempt is retried by the client, like a lost connection.
  redis.connect().catch(() => {});
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
