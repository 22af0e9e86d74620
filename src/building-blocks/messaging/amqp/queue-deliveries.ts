import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { type DeliveryFailures, describeFailure } from '../delivery-failures.ts';
import type { MessageConsumer } from '../message-consumer.ts';
import type { MessagingLogger } from '../messaging-logger.ts';
import type { OutboxMessage } from '../outbox-message.ts';
import { type RetryPolicy, retryDelayMs } from '../retry-policy.ts';
import { publishConfirmed } from './amqp-broker.ts';
import { fromAmqp } from './amqp-envelope.ts';
import type { AmqpTopology } from './amqp-topology.ts';

/** The longest wait between two tries to record a failed delivery while the database is away. */
export const MAX_HOLD_MS = 2_000;
/** How those tries are spaced: doubling from 250 ms, with jitter, for as long as it takes. */
const HOLDING: RetryPolicy = {
  maxAttempts: Number.POSITIVE_INFINITY,
  firstDelayMs: 250,
  maxDelayMs: MAX_HOLD_MS,
};

/** The header a message dead-lettered by a consumer carries its reason in. */
export const DEAD_REASON_HEADER = 'taskflow-dead-reason';

/**
 * What a worker does with one delivery from a context's queue (ADR 16):
 * - it runs the context's handlers (`MessageConsumer.deliver`, the inbox making a
 *   redelivery harmless) and acknowledges once their transactions committed;
 * - a handler that failed is recorded on the message's outbox row, as in process (retried
 *   with back-off by the relay, which publishes it again, or dead-lettered there, where
 *   `npm run messages` shows it), then acknowledged;
 * - a delivery that cannot be read, or whose failure has no outbox row to go to, goes to the
 *   broker's dead-letter queue with the reason in a header.
 * Nothing is acknowledged before its outcome is stored: a worker that dies holding a delivery
 * has it delivered again.
 */
export class QueueDeliveries {
  readonly #consumer: MessageConsumer;
  readonly #failures: DeliveryFailures;
  readonly #topology: AmqpTopology;
  readonly #log: MessagingLogger;
  #stopping = false;

  constructor(
    consumer: MessageConsumer,
    failures: DeliveryFailures,
    topology: AmqpTopology,
    log: MessagingLogger,
  ) {
    this.#consumer = consumer;
    this.#failures = failures;
    this.#topology = topology;
    this.#log = log;
  }

  /** Stops waiting for the database to record a failure: such deliveries go back to the queue. */
  stop(): void {
    this.#stopping = true;
  }

  readonly handle = async (
    channel: ConfirmChannel,
    delivery: ConsumeMessage,
    context: string,
  ): Promise<void> => {
    let message: OutboxMessage;
    try {
      message = fromAmqp(delivery);
    } catch (error) {
      return this.#deadLetter(channel, delivery, context, describeFailure(error));
    }
    if (!this.#consumer.handles(message.type, context)) {
      // Its queue is bound to the types its handlers take: one sent to it by hand, or left
      // from a handler a newer version removed. Nothing here would run it, now or later.
      this.#log.warn(
        { messageId: message.id, type: message.type, queue: context },
        'a message no handler of this queue takes: acknowledged, not handled',
      );
      return settle(() => channel.ack(delivery));
    }
    try {
      await this.#consumer.deliver(message, context);
    } catch (error) {
      const recorded = await this.#recordFailure(message, error);
      if (recorded === 'gone') {
        const reason = `${describeFailure(error)} (no outbox row to retry it from)`;
        return this.#deadLetter(channel, delivery, context, reason);
      }
      if (recorded === 'not-recorded') return settle(() => channel.nack(delivery, false, true));
    }
    settle(() => channel.ack(delivery));
  };

  /**
   * Records the failure; while the database refuses, tries again until the worker stops.
   * The delivery is held meanwhile (not handed back: the broker would count each return
   * toward its delivery limit), and held deliveries fill the channel's prefetch window: the
   * tries are at most `MAX_HOLD_MS` apart, so the queue moves again within that of the
   * database's return. One line when a delivery is first held, one when it is recorded.
   */
  async #recordFailure(message: OutboxMessage, error: unknown) {
    for (let attempt = 1; ; attempt++) {
      try {
        const recorded = await this.#failures.record(message, error);
        if (attempt > 1) {
          this.#log.info({ messageId: message.id, attempts: attempt }, 'failed delivery recorded');
        }
        return recorded;
      } catch (recordError) {
        if (this.#stopping) return 'not-recorded';
        if (attempt === 1) {
          this.#log.warn(
            { messageId: message.id, cause: describeFailure(recordError) },
            `could not record a failed delivery; holding it and trying again (every ${MAX_HOLD_MS / 1000} s at most)`,
          );
        }
        const delayMs = retryDelayMs(HOLDING, attempt);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  async #deadLetter(
    channel: ConfirmChannel,
    delivery: ConsumeMessage,
    context: string,
    reason: string,
  ) {
    const { messageId, type } = delivery.properties;
    const { routingKey } = delivery.fields;
    this.#log.error(
      { messageId, type, queue: context, routingKey, reason },
      'message dead-lettered to the broker',
    );
    try {
      await publishConfirmed(
        channel,
        this.#topology.deadLetters,
        delivery.fields.routingKey,
        delivery.content,
        {
          ...delivery.properties,
          headers: { ...delivery.properties.headers, [DEAD_REASON_HEADER]: reason },
        },
      );
      settle(() => channel.ack(delivery));
    } catch {
      // Not parked: it stays unacknowledged and comes back (up to the delivery limit, after
      // which the broker dead-letters it itself).
      settle(() => channel.nack(delivery, false, true));
    }
  }
}

/** An ack or nack on a channel that closed meanwhile: the broker delivers the message again. */
function settle(acknowledge: () => void): void {
  try {
    acknowledge();
  } catch {
    // The channel is gone; the redelivery finds the handlers' work in the inbox.
  }
}
