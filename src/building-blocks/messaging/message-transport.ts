import type { OutboxMessage } from './outbox-message.ts';

/**
 * Where the relay sends a message it claimed from an outbox. Resolving means "taken": the
 * relay then marks the message processed; rejecting makes it retry later (or dead-letter it,
 * for an `UndeliverableMessage`). In process, sending runs the consumers' handlers
 * (`InProcessTransport`); a broker's transport would resolve once the broker confirmed the
 * message, and its consumer side would call `MessageConsumer.deliver` for each delivery.
 */
export interface MessageTransport {
  send(message: OutboxMessage): Promise<void>;
  /** Resolves while messages can be sent (a broker's transport: while it is connected). */
  ready(): Promise<void>;
}
