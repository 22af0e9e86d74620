import type { Inbox } from './inbox.ts';
import type { SqlOutbox } from './sql-outbox.ts';

/** The inboxes of every context, each in its context's tables. */
export class SqlInbox implements Inbox {
  readonly #byContext: Map<string, SqlOutbox>;

  constructor(outboxes: readonly SqlOutbox[]) {
    this.#byContext = new Map(outboxes.map((outbox) => [outbox.context, outbox]));
  }

  has(context: string, messageId: string, handler: string): Promise<boolean> {
    return this.#of(context).hasDelivery(messageId, handler);
  }

  record(context: string, messageId: string, handler: string): Promise<void> {
    return this.#of(context).recordDeliveryAlone(messageId, handler);
  }

  #of(context: string): SqlOutbox {
    const outbox = this.#byContext.get(context);
    if (!outbox) throw new Error(`No inbox for context ${context}.`);
    return outbox;
  }
}
