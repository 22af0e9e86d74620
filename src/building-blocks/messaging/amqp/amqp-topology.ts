import type { Channel } from 'amqplib';

/**
 * The exchanges and queues of one deployment on the broker, named under its namespace
 * (`BROKER_NAMESPACE`, so several deployments, or test runs, can share a broker):
 * - `<ns>.events`: the topic exchange the relay publishes to, routing key = message type;
 * - `<ns>.<context>`: each consuming context's durable quorum queue, bound to the types its
 *   handlers subscribe to, dead-lettering to
 * - `<ns>.dead-letters`: a fanout exchange and the queue it fills: what no consumer could
 *   read, and what the broker gave up redelivering (`DELIVERY_LIMIT`).
 */
export class AmqpTopology {
  readonly exchange: string;
  readonly deadLetters: string;
  readonly #namespace: string;
  /** Consuming context → the message types its handlers subscribe to. */
  readonly #bindings: () => ReadonlyMap<string, readonly string[]>;

  constructor(namespace: string, bindings: () => ReadonlyMap<string, readonly string[]>) {
    this.#namespace = namespace;
    this.exchange = `${namespace}.events`;
    this.deadLetters = `${namespace}.dead-letters`;
    this.#bindings = bindings;
  }

  queueOf(context: string): string {
    return `${this.#namespace}.${context}`;
  }

  /** The contexts that have a queue: those with a handler. */
  consumingContexts(): string[] {
    return [...this.#bindings().keys()];
  }

  /**
   * Declares everything (idempotent): every process does before it publishes or consumes, so
   * no message is published before the queues that must keep it are bound.
   */
  async declare(channel: Channel): Promise<void> {
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    await channel.assertExchange(this.deadLetters, 'fanout', { durable: true });
    await channel.assertQueue(this.deadLetters, { durable: true, arguments: QUORUM });
    await channel.bindQueue(this.deadLetters, this.deadLetters, '');
    for (const [context, types] of this.#bindings()) {
      const queue = this.queueOf(context);
      await channel.assertQueue(queue, {
        durable: true,
        deadLetterExchange: this.deadLetters,
        arguments: { ...QUORUM, 'x-delivery-limit': DELIVERY_LIMIT },
      });
      for (const type of types) await channel.bindQueue(queue, this.exchange, type);
    }
  }

  /** Deletes it all (tests clean up their namespace). */
  async remove(channel: Channel): Promise<void> {
    for (const context of this.consumingContexts())
      await channel.deleteQueue(this.queueOf(context));
    await channel.deleteQueue(this.deadLetters);
    await channel.deleteExchange(this.exchange);
    await channel.deleteExchange(this.deadLetters);
  }
}

const QUORUM = { 'x-queue-type': 'quorum' };

/**
 * Deliveries of one message before the broker dead-letters it. A handler's failure never
 * comes back through the broker (it is recorded on the outbox row, ADR 16); what does is a
 * consumer that died holding the message: this many deaths on one message make it a poison.
 */
export const DELIVERY_LIMIT = 10;
