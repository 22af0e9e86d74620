import type { Client } from 'pg';
import type { ChannelListener } from './database.ts';

/** How long the first attempt after a loss waits, and the longest wait between attempts. */
const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;
/** As the pool's: a server that does not answer is an attempt failed, not a wait forever. */
const CONNECTION_TIMEOUT_MS = 5_000;
/**
 * How often the connection is asked a trivial query, and how long its answer may take. A
 * connection that died silently (a network partition, a middlebox dropping it without a
 * word) would otherwise look alive for as long as TCP takes to give up: many minutes.
 */
const HEARTBEAT_MS = 5_000;

/**
 * `LISTEN channel` on a connection of its own, outside the pool: a pooled connection serves
 * other queries between ours and goes back to the pool, and a notification is delivered only
 * to the session that listens. The connection is kept: when it is lost (or cannot be opened)
 * the listener is told once (`notListening`: notifications may be missed from then on), and
 * a new one is tried after a back-off that doubles from 0.2 s up to 5 s; once it listens again
 * the listener is told (`listening`). Nothing here throws or ends the process.
 *
 * Every `heartbeatMs` the connection is asked `select 1`; no answer within as long and it
 * counts as lost, so a connection that died silently is given up on within twice that time.
 */
export function listenOnOwnConnection(
  connectionString: string,
  channel: string,
  listener: ChannelListener,
  { heartbeatMs = HEARTBEAT_MS }: { heartbeatMs?: number } = {},
): { close(): Promise<void> } {
  let closed = false;
  let current: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
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

  /** Asks again and again; a connection that fails to answer is dropped (its 'end' reports it). */
  const checkAlive = (client: Client) => {
    heartbeat = setTimeout(async () => {
      if (client !== current) return;
      try {
        await answered(client, 'select 1', heartbeatMs);
      } catch {
        client.connection.stream.destroy();
        return;
      }
      checkAlive(client);
    }, heartbeatMs);
    heartbeat.unref();
  };

  const attempt = async () => {
    retry = undefined;
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      connectionString,
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
      await answered(client, `LISTEN ${client.escapeIdentifier(channel)}`, CONNECTION_TIMEOUT_MS);
    } catch (error) {
      client.end().catch(() => {});
      lost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (closed) {
      await end(client);
      return;
    }
    current = client;
    told = false;
    delayMs = FIRST_RETRY_MS;
    listener.listening();
    checkAlive(client);
  };

  attempting = attempt();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(heartbeat);
      await attempting;
      const client = current;
      current = undefined;
      if (client) await end(client);
    },
  };
}

/** Runs `sql`; a connection that gives no answer within `ms` is dropped (and `sql` fails). */
async function answered(client: Client, sql: string, ms: number): Promise<void> {
  const deadline = setTimeout(() => {
    client.connection.stream.destroy(new Error(`the connection did not answer within ${ms} ms`));
  }, ms);
  try {
    await client.query(sql);
  } finally {
    clearTimeout(deadline);
  }
}

/** Ends the connection politely, or drops it if the server does not answer (a stalled one). */
async function end(client: Client): Promise<void> {
  const impatience = setTimeout(() => client.connection.stream.destroy(), 1_000);
  await client.end().catch(() => {});
  clearTimeout(impatience);
}
