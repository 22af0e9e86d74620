/**
 * A message as the outbox stores it: one event a unit of work committed. `payload` is the
 * event's payload; `headers` leave room for trace context and the like.
 */
export interface OutboxMessage {
  /** UUIDv7: sorts in the order the messages were written within a process. */
  readonly id: string;
  /** The context whose outbox holds it (`accounts`, `projects`). */
  readonly context: string;
  readonly type: string;
  readonly version: number;
  readonly payload: unknown;
  readonly headers: Record<string, string>;
  readonly occurredAt: Date;
  /** Failed deliveries so far. */
  readonly attempts: number;
}
