/** A context's record of the deliveries its handlers took in (see `InboxMode`). */
export interface Inbox {
  /** Whether handler `handler` of `context` already processed `messageId`. */
  has(context: string, messageId: string, handler: string): Promise<boolean>;
  /** Records the delivery in a transaction of its own; a second record changes nothing. */
  record(context: string, messageId: string, handler: string): Promise<void>;
}
