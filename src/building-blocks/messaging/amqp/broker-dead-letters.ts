import { connect } from 'amqplib';
import { AmqpTopology } from './amqp-topology.ts';

/** The broker's dead-letter queue of a deployment, and how many messages wait in it. */
export interface BrokerDeadLetters {
  queue: string;
  count: number;
}

/**
 * What waits in the broker's dead-letter queue: messages no consumer could read, and those
 * the broker stopped redelivering (ADR 16). They never reach an outbox, so the outbox's own
 * figures do not count them: `npm run messages -- stats` asks the broker. A queue that does
 * not exist yet (no process has declared the topology) holds none.
 */
export async function brokerDeadLetters(
  url: string,
  namespace: string,
): Promise<BrokerDeadLetters> {
  const queue = new AmqpTopology(namespace, () => new Map()).deadLetters;
  const connection = await connect(url, {
    timeout: CONNECT_TIMEOUT_MS,
    clientProperties: { connection_name: `taskflow messages ${process.pid}` },
  });
  // An error of the connection itself rejects what waits on it; unheard, it would be thrown.
  connection.on('error', () => {});
  try {
    const channel = await connection.createChannel();
    // A passive declare of a missing queue closes the channel with 404: not an error here.
    channel.on('error', () => {});
    try {
      return { queue, count: (await channel.checkQueue(queue)).messageCount };
    } catch (error) {
      if ((error as { code?: unknown }).code === NOT_FOUND) return { queue, count: 0 };
      throw error;
    }
  } finally {
    await connection.close();
  }
}

const NOT_FOUND = 404;
/** A broker that does not answer is reported after this, not after TCP's own ~2 minutes. */
const CONNECT_TIMEOUT_MS = 5_000;
