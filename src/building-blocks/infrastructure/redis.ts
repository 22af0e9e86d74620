import type { Redis } from 'ioredis';
import { redact } from './redact-url.ts';

/**
 * How long a command may wait for Redis's answer. The counters are read and written while a
 * request waits: a Redis that stopped answering (a network partition) fails the request
 * within this time, as a 503, instead of holding it until the connection times out.
 */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * A Redis client for counters that several processes share. Start-up fails at once, in one
 * line, when Redis does not answer. Later, while Redis is down or being reconnected to, a
 * command fails at once (no queue of commands waiting for the connection) and one without an
 * answer fails after `COMMAND_TIMEOUT_MS`, dropping the connection; the client reconnects by
 * itself. Connection errors
 * are reported through `watchRedis`, not printed by ioredis.
 */
export async function connectRedis(url: string): Promise<Redis> {
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
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis at ${redact(url)} does not answer: ${(error as Error).message}`);
  }
  return redis;
}

/** Logs when Redis is lost (once, not at every reconnection attempt) and when it is back. */
export function watchRedis(
  redis: Redis,
  log: { warn(fields: object, message: string): void; info(message: string): void },
): void {
  let lost = false;
  redis.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    log.warn(
      { cause: error.message },
      'Redis is unavailable: logins and password checks answer 503 until it is back',
    );
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    log.info('Redis is available again');
  });
}
