import type { Client } from 'pg';
import type { ChannelListener } from './database.ts';

/** How long the first attempt after a loss waits, and the longest wait between attempts. */
const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;
/** As the pool's: a server that does not answer is an attempt failed, not a wait forever. */
const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * `LISTEN channel` on a connection of its own, outside the pool: a pooled connection serves
 * other queries between ours and goes back to the pool, and a notification is delivered only
 * to the session that listens. The connection is kept: when it is lost (or cannot be opened)
 * the listener is told once (`notListening`: notifications may be missed from then on), and
 * a new one is tried after a back-off that doubles from 0.2 s up to 5 s; once it listens again
 * the listener is told (`listening`). Nothing here throws or ends the process.
 *
 * TCP keep-alive is on, so a middlebox does not drop the connection for being idle; a
 * connection that dies silently is noticed only when the kernel gives up on it (the cache
 * built on this bounds the age of what it keeps for that case).
 */
export function listenOnOwnConnection(
  connectionString: string,
  channel: string,
  listener: ChannelListener,
): { close(): Promise<void> } {
  let closed = false;
  let current: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let attempting: Promise<void> = Promise.resolve();
  let delayMs = FIRST_RETRY_MS;
  /** Whether the listener has been told of the present outage (once per outage). */
  let told = false;

  const lost = (error: Error) => {
    if (!told) {
      told = true;
      listener.notListening(error);
    }
    if (closed) return;
    // Jitter, so processes that lost the server together do not all come back at once.
    retry = setTimeout(
      () => {
        attempting = attempt();
      },
      delayMs * (0.5 + Math.random() / 2),
    );
    retry.unref();
    delayMs = Math.min(delayMs * 2, MAX_RETRY_MS);
  };

  const attempt = async () => {
    retry = undefined;
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      connectionString,
      keepAlive: true,
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    });
    let lastError: Error | undefined;
    // A lost connection emits 'error' (with no listener that would end the process), then
    // 'end'; only the end of the connection in use counts as a loss.
    client.on('error', (error) => {
      lastError = error;
    });
    client.on('end', () => {
      if (client !== current) return;
      current = undefined;
      lost(lastError ?? new Error('the listening connection ended'));
    });
    client.on('notification', (notification) => {
      if (notification.channel === channel) listener.notified(notification.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      client.end().catch(() => {});
      lost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    told = false;
    delayMs = FIRST_RETRY_MS;
    listener.listening();
  };

  attempting = attempt();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await attempting;
      const client = current;
      current = undefined;
      await client?.end().catch(() => {});
    },
  };
}
