import type { HandlerName } from './message-handlers.ts';
import type { OutboxMessage } from './outbox-message.ts';

/** What a message carries besides its payload: W3C trace context, when tracing is on. */
export type MessageHeaders = Readonly<Record<string, string>>;

/**
 * Whoever watches messages (traces and metrics, in building-blocks/observability). Every
 * transport goes through these: the outbox write of each unit of work, and the consumer's
 * delivery to the handlers, whether the message came in process, from the relay's poll or
 * from a broker in another process. The headers `writing` gives are stored with the
 * messages and travel with them unchanged.
 */
export interface MessageInstrumentation {
  /** Around storing a unit of work's messages in its context's outbox. */
  writing<T>(
    context: string,
    types: readonly string[],
    write: (headers: MessageHeaders) => Promise<T>,
  ): Promise<T>;
  /** Around one delivery of a message to every handler subscribed to it. */
  delivering(message: OutboxMessage, deliver: () => Promise<void>): Promise<void>;
  /** Around one handler's run for one delivery; rejects when the handler failed. */
  handling(message: OutboxMessage, handler: HandlerName, run: () => Promise<void>): Promise<void>;
}

const NO_HEADERS: MessageHeaders = Object.freeze({});

/** Nothing watched. */
export const unobservedMessages: MessageInstrumentation = {
  writing: (_context, _types, write) => write(NO_HEADERS),
  delivering: (_message, deliver) => deliver(),
  handling: (_message, _handler, run) => run(),
};
