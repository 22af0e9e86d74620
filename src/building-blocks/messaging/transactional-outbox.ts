import type { DomainEvent } from '../domain/domain-event.ts';
import type { SqlTransaction } from '../infrastructure/database/database.ts';
import type { MessageContract } from './contract.ts';
import { AlreadyProcessed, deliveryScope } from './delivery-scope.ts';
import { type MessageInstrumentation, unobservedMessages } from './message-instrumentation.ts';
import type { OutboxMessage } from './outbox-message.ts';
import type { SqlOutbox } from './sql-outbox.ts';

export interface TransactionalOutboxOptions {
  /** The integration events this context publishes: their versions go with the messages. */
  publishes: readonly MessageContract[];
  /** Message ids: UUIDv7, in order (`monotonicUuidV7`). */
  nextId: () => string;
  now: () => Date;
  /** Until when the writer claims its new messages (it dispatches them itself). */
  leaseFrom: (now: Date) => Date;
  /**
   * Runs after the COMMIT: the relay's `dispatch`, which resolves once the handlers' effects
   * in the database are in place (not waiting for an email).
   */
  dispatch: (messages: readonly OutboxMessage[]) => Promise<void>;
  /** Gives the headers stored with the messages (trace context) and traces the write. */
  instrumentation?: MessageInstrumentation;
}

/**
 * What a context's unit of work does for messaging, in its transaction: records the delivery
 * its handler is running (the inbox), stores the events it committed (the outbox); and after
 * the COMMIT, hands those to the relay. A unit of work that recorded no event and runs in no
 * delivery writes nothing more.
 */
export class TransactionalOutbox {
  readonly #outbox: SqlOutbox;
  readonly #versions: ReadonlyMap<string, number>;
  readonly #options: TransactionalOutboxOptions;
  readonly #instrumentation: MessageInstrumentation;

  constructor(outbox: SqlOutbox, options: TransactionalOutboxOptions) {
    this.#outbox = outbox;
    this.#versions = new Map(options.publishes.map((c) => [c.type, c.version]));
    this.#options = options;
    this.#instrumentation = options.instrumentation ?? unobservedMessages;
  }

  /**
   * First thing in the transaction, when a handler of this context runs the unit of work:
   * records the delivery, or stops the work (`AlreadyProcessed`) if it was recorded before.
   * Returns the delivery to mark as recorded once the transaction committed.
   */
  async recordDelivery(tx: SqlTransaction): Promise<{ recorded: boolean } | undefined> {
    const delivery = deliveryScope.current();
    if (!delivery || delivery.recorded || delivery.context !== this.#outbox.context) return;
    const fresh = await this.#outbox.recordDelivery(tx, delivery.messageId, delivery.handler);
    if (!fresh) throw new AlreadyProcessed();
    return delivery;
  }

  /** Last thing in the transaction: stores the events as messages. */
  store(tx: SqlTransaction, events: readonly DomainEvent[]): Promise<OutboxMessage[]> {
    const types = events.map((event) => event.type);
    return this.#instrumentation.writing(this.#outbox.context, types, async (headers) => {
      const now = this.#options.now();
      const lockedUntil = this.#options.leaseFrom(now);
      const messages = events.map((event) => ({
        id: this.#options.nextId(),
        version: this.#versions.get(event.type) ?? 1,
        event,
        occurredAt: now,
        headers,
        lockedUntil,
      }));
      await this.#outbox.append(tx, messages);
      return messages.map((m) => ({
        id: m.id,
        context: this.#outbox.context,
        type: m.event.type,
        version: m.version,
        // What the consumer would read back from the table: plain JSON.
        payload: JSON.parse(JSON.stringify(m.event.payload)) as unknown,
        headers: m.headers,
        occurredAt: m.occurredAt,
        attempts: 0,
      }));
    });
  }

  /** After the COMMIT. */
  dispatch(messages: readonly OutboxMessage[]): Promise<void> {
    return this.#options.dispatch(messages);
  }
}
