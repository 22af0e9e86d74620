import type { MessageConsumer } from './message-consumer.ts';
import type { MessageTransport } from './message-transport.ts';
import type { OutboxMessage } from './outbox-message.ts';

/** No broker: a message is delivered by running its handlers in this process. */
export class InProcessTransport implements MessageTransport {
  readonly #consumer: MessageConsumer;

  constructor(consumer: MessageConsumer) {
    this.#consumer = consumer;
  }

  send(message: OutboxMessage, onVisible?: () => void): Promise<void> {
    return this.#consumer.deliver(message, undefined, onVisible);
  }

  async ready(): Promise<void> {}
}
