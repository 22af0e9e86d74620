import { createHash } from 'node:crypto';
import { connect } from 'amqplib';
import { MESSAGING_CONTEXTS } from '../../src/app.ts';
import { AmqpTopology } from '../../src/building-blocks/messaging/amqp/amqp-topology.ts';

/**
 * RabbitMQ for the tests that need it: TEST_BROKER_URL names a broker the tests may create
 * exchanges and queues on. Each test database gets its own namespace of them (derived from
 * its URL, so every process of the service on that database agrees), removed with it.
 */
export const TEST_BROKER_URL = process.env.TEST_BROKER_URL;

/** Set by vitest.config.ts for the project that runs the e2e suite through RabbitMQ. */
export const THROUGH_BROKER = process.env.TEST_THROUGH_BROKER === 'true';

export function brokerNamespaceOf(databaseUrl: string): string {
  const hash = createHash('sha256').update(databaseUrl).digest('hex').slice(0, 16);
  return `taskflow-test-${hash}`;
}

/** The broker settings of a service process on `databaseUrl`. */
export function brokerEnvironment(databaseUrl: string): Record<string, string> {
  if (!TEST_BROKER_URL) throw new Error('TEST_BROKER_URL is not set.');
  return { BROKER_URL: TEST_BROKER_URL, BROKER_NAMESPACE: brokerNamespaceOf(databaseUrl) };
}

/** Deletes a namespace's exchanges and queues (those that exist). */
export async function removeBrokerNamespace(namespace: string, url = TEST_BROKER_URL) {
  if (!url) return;
  const connection = await connect(url);
  try {
    const everyContext = new Map(MESSAGING_CONTEXTS.map((context) => [context, []]));
    const channel = await connection.createChannel();
    await new AmqpTopology(namespace, () => everyContext).remove(channel);
  } finally {
    await connection.close();
  }
}

/** Why the broker tests cannot run here, or undefined when they can. */
export async function brokerUnavailable(): Promise<string | undefined> {
  if (!TEST_BROKER_URL) return 'TEST_BROKER_URL is not set';
  try {
    const connection = await connect(TEST_BROKER_URL);
    await connection.close();
    return undefined;
  } catch (error) {
    return `RabbitMQ at ${TEST_BROKER_URL} does not answer (${(error as Error).message})`;
  }
}
