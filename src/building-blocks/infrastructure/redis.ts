import type { Redis } from 'ioredis';
import { redact } from './redact-url.ts';

/**
 * A Redis client for counters that several processes share. Start-up fails at once, in one
 * line, when Redis does not answer; later, a command waits for a reconnection only briefly
 * (`maxRetriesPerRequest`) and then fails, rather than holding a request up.
 */
export async function connectRedis(url: string): Promise<Redis> {
  // Loaded only when Redis is configured: a service without it never loads ioredis.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis at ${redact(url)} does not answer: ${(error as Error).message}`);
  }
  return redis;
}
