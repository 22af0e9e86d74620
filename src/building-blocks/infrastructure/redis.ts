import { Redis } from 'ioredis';

/**
 * A Redis client for counters that several processes share. Start-up fails at once, in one
 * line, when Redis does not answer; later, a command waits for a reconnection only briefly
 * (`maxRetriesPerRequest`) and then fails, rather than holding a request up.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis at ${redactedUrl(url)} does not answer: ${(error as Error).message}`);
  }
  return redis;
}

function redactedUrl(text: string): string {
  const url = new URL(text);
  if (url.password !== '') url.password = '***';
  return url.toString();
}
