import type { OutboxMessage } from './outbox-message.ts';

/**
 * Where the relay sends a message it claimed from an outbox. Resolving means "taken": the
 * relay then marks the message processed; rejecting makes it retry later (or dead-letter it,
 * for an `UndeliverableMessage`), except `TransportUnavailable`, which counts no attempt. In
 * process, sending runs the consumers' handlers (`InProcessTransport`); a broker's transport
 * resolves once the broker confirmed the message (`AmqpBroker`), and its consumers call
 * `MessageConsumer.deliver` for each delivery.
 */
export interface MessageTransport {
  /**
   * `onVisible`, when given, is called if the effects a request should see are in place
   * before `send` resolves: in process, once the handlers whose effects are in the database
   * have run, when one whose effect leaves it (an email) is still to run. A broker's
   * transport has no such moment, and does not call it.
   */
  send(message: OutboxMessage, onVisible?: () => void): Promise<void>;
  /** Resolves while messages can be sent (a broker's transport: while it is connected). */
  ready(): Promise<void>;
}

/**
 * The transport cannot take messages now (the broker is away): not the message's fault, so
 * no attempt is counted; the relay frees its claim and a later poll sends it.
 */
export class TransportUnavailable extends Error {
  override readonly name = 'TransportUnavailable';
}
