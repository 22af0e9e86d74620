import type { Database } from '../infrastructure/database/database.ts';
import type { MessageContract } from './contract.ts';
import { InProcessTransport } from './in-process-transport.ts';
import { MessageConsumer } from './message-consumer.ts';
import { MessageHandlers } from './message-handlers.ts';
import { type MessageInstrumentation, unobservedMessages } from './message-instrumentation.ts';
import type { MessageTransport } from './message-transport.ts';
import { monotonicUuidV7 } from './monotonic-ids.ts';
import type { OutboxMessage } from './outbox-message.ts';
import { OutboxRelay, type RelayLogger, type RelayOptions } from './outbox-relay.ts';
import { SqlInbox } from './sql-inbox.ts';
import { SqlOutbox } from './sql-outbox.ts';
import { TransactionalOutbox } from './transactional-outbox.ts';

export interface MessagingOptions extends RelayOptions {
  database: Database;
  /** The contexts that have an outbox and an inbox. */
  contexts: readonly string[];
  log: RelayLogger;
  /** Where claimed messages go; in process (the consumer runs the handlers) by default. */
  transport?: (consumer: MessageConsumer) => MessageTransport;
  /** Test-only: runs after a COMMIT, before its messages are dispatched (a failpoint). */
  beforeDispatch?: (messages: readonly OutboxMessage[]) => void;
  /** Traces and measures the outbox writes and the deliveries (building-blocks/observability). */
  instrumentation?: MessageInstrumentation;
}

/**
 * The messaging of one process, wired: each context's outbox (for its unit of work), the
 * handlers the modules subscribe, the consumer that runs them with the inboxes, and the relay
 * that moves messages from the outboxes to the transport.
 */
export function createMessaging(options: MessagingOptions) {
  const { database, contexts, log, instrumentation = unobservedMessages } = options;
  const outboxes = contexts.map((context) => new SqlOutbox(database, context));
  const handlers = new MessageHandlers();
  const consumer = new MessageConsumer(handlers, new SqlInbox(outboxes), instrumentation);
  const transport = options.transport?.(consumer) ?? new InProcessTransport(consumer);
  const relay = new OutboxRelay(outboxes, transport, log, options);
  const nextId = monotonicUuidV7();

  return {
    handlers,
    consumer,
    relay,
    outboxes,
    ready: () => transport.ready(),
    /** The outbox a context's unit of work writes to. */
    outboxOf(context: string, publishes: readonly MessageContract[]): TransactionalOutbox {
      const outbox = outboxes.find((o) => o.context === context);
      if (!outbox) throw new Error(`No outbox for context ${context}.`);
      return new TransactionalOutbox(outbox, {
        publishes,
        nextId,
        now: () => new Date(),
        leaseFrom: (now) => relay.leaseFrom(now),
        instrumentation,
        dispatch: (messages) => {
          options.beforeDispatch?.(messages);
          return relay.dispatch(messages);
        },
      });
    },
  };
}

export type Messaging = ReturnType<typeof createMessaging>;
