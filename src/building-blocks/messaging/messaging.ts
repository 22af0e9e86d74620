import type { Database } from '../infrastructure/database/database.ts';
import { AmqpBroker } from './amqp/amqp-broker.ts';
import { AmqpTopology } from './amqp/amqp-topology.ts';
import { QueueDeliveries } from './amqp/queue-deliveries.ts';
import type { MessageContract } from './contract.ts';
import { DeliveryFailures } from './delivery-failures.ts';
import { InProcessTransport } from './in-process-transport.ts';
import { MessageConsumer } from './message-consumer.ts';
import { MessageHandlers } from './message-handlers.ts';
import { type MessageInstrumentation, unobservedMessages } from './message-instrumentation.ts';
import type { MessagingLogger } from './messaging-logger.ts';
import { monotonicUuidV7 } from './monotonic-ids.ts';
import type { OutboxMessage } from './outbox-message.ts';
import { OutboxRelay, type RelayOptions } from './outbox-relay.ts';
import { SqlInbox } from './sql-inbox.ts';
import { SqlOutbox } from './sql-outbox.ts';
import { TransactionalOutbox } from './transactional-outbox.ts';

export interface MessagingOptions extends RelayOptions {
  database: Database;
  /** The contexts that have an outbox and an inbox. */
  contexts: readonly string[];
  log: MessagingLogger;
  /** RabbitMQ between processes (ADR 16); without it, messages are delivered in process. */
  broker?: { url: string; namespace: string } | undefined;
  /** Test-only: runs after a COMMIT, before its messages are dispatched (a failpoint). */
  beforeDispatch?: (messages: readonly OutboxMessage[]) => void;
  /** Traces and measures the outbox writes and the deliveries (building-blocks/observability). */
  instrumentation?: MessageInstrumentation;
}

/**
 * The messaging of one process, wired: each context's outbox (for its unit of work), the
 * handlers the modules subscribe, the consumer that runs them with the inboxes, and the relay
 * that moves messages from the outboxes to the transport: in process, or RabbitMQ, whose
 * queues a worker consumes.
 */
export function createMessaging(options: MessagingOptions) {
  const { database, contexts, log, broker, instrumentation = unobservedMessages } = options;
  const outboxes = contexts.map((context) => new SqlOutbox(database, context, contexts));
  const handlers = new MessageHandlers();
  const consumer = new MessageConsumer(handlers, new SqlInbox(outboxes), instrumentation);
  const amqp = broker && brokerOf(broker, { handlers, consumer, outboxes, log, options });
  const transport = amqp?.broker ?? new InProcessTransport(consumer);
  const relay = new OutboxRelay(outboxes, transport, log, options);
  const nextId = monotonicUuidV7();

  return {
    handlers,
    consumer,
    relay,
    outboxes,
    topology: amqp?.topology,
    ready: () => transport.ready(),
    /**
     * Once the modules subscribed their handlers: connects to the broker, if there is one;
     * with `work` (a worker, or an API process with RUN_WORKERS), polls the outboxes and
     * consumes the contexts' queues.
     */
    async start({ work }: { work: boolean }): Promise<void> {
      await amqp?.broker.open(work ? amqp.consuming() : undefined);
      if (work) relay.start();
    },
    /** Takes no new message; lets the deliveries under way finish; disconnects. */
    async stop(): Promise<void> {
      amqp?.deliveries.stop();
      await Promise.all([relay.stop(), amqp?.broker.stopConsuming()]);
      await amqp?.broker.close();
    },
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

/** The RabbitMQ side: the topology, the connection, and what a worker does with a delivery. */
function brokerOf(
  settings: { url: string; namespace: string },
  parts: {
    handlers: MessageHandlers;
    consumer: MessageConsumer;
    outboxes: readonly SqlOutbox[];
    log: MessagingLogger;
    options: RelayOptions;
  },
) {
  const { handlers, consumer, outboxes, log, options } = parts;
  const topology = new AmqpTopology(settings.namespace, () => handlers.typesByContext());
  const broker = new AmqpBroker(settings.url, topology, log);
  const failures = new DeliveryFailures(outboxes, options.retry, log);
  const deliveries = new QueueDeliveries(consumer, failures, topology, log);
  return {
    topology,
    broker,
    deliveries,
    /** Every context with a handler, as many deliveries at once as the relay sends. */
    consuming: () => ({
      contexts: topology.consumingContexts(),
      prefetch: options.concurrency ?? 1,
      handle: deliveries.handle,
    }),
  };
}
