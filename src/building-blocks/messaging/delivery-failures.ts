import type { MessagingLogger } from './messaging-logger.ts';
import type { OutboxMessage } from './outbox-message.ts';
import { type RetryPolicy, retryDelayMs } from './retry-policy.ts';
import type { SqlOutbox } from './sql-outbox.ts';
import { UndeliverableMessage } from './undeliverable-message.ts';

/**
 * What became of a failure: recorded on the message's outbox row (retried after its back-off,
 * or dead); recorded already by another consumer of the same attempt; or not recordable,
 * the row being gone (a message that never was in this database's outbox).
 */
export type FailureRecord = 'recorded' | 'already-recorded' | 'gone';

/**
 * Records a failed delivery on the message's outbox row, the one record of a message's fate
 * whatever carried it (ADR 15, ADR 16): the relay's in-process delivery and a broker's
 * consumer alike. Retried with exponential back-off and jitter; dead after the last attempt,
 * or at once for a message no retry can help (`UndeliverableMessage`).
 */
export class DeliveryFailures {
  readonly #outboxes: ReadonlyMap<string, SqlOutbox>;
  readonly #retry: RetryPolicy;
  readonly #log: MessagingLogger;
  readonly #now: () => Date;

  constructor(
    outboxes: readonly SqlOutbox[],
    retry: RetryPolicy,
    log: MessagingLogger,
    now: () => Date = () => new Date(),
  ) {
    this.#outboxes = new Map(outboxes.map((outbox) => [outbox.context, outbox]));
    this.#retry = retry;
    this.#log = log;
    this.#now = now;
  }

  async record(message: OutboxMessage, error: unknown): Promise<FailureRecord> {
    const outbox = this.#outboxes.get(message.context);
    if (!outbox) return 'gone';
    const now = this.#now();
    const attempts = message.attempts + 1;
    const reason = describeFailure(error);
    const dead = error instanceof UndeliverableMessage || attempts >= this.#retry.maxAttempts;
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(this.#retry, attempts));
    const failure = { attempts, error: reason, nextAttemptAt, deadAt: dead ? now : null };
    if (!(await outbox.markFailed(message.id, failure))) {
      return (await outbox.holds(message.id)) ? 'already-recorded' : 'gone';
    }
    const details = {
      messageId: message.id,
      context: message.context,
      type: message.type,
      attempts,
      error: reason,
    };
    if (dead) this.#log.error(details, 'message dead-lettered');
    else {
      this.#log.warn(
        { ...details, nextAttemptAt: nextAttemptAt.toISOString() },
        'message delivery failed; retrying later',
      );
    }
    return 'recorded';
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof AggregateError) {
    return `${error.message}: ${error.errors.map(describeFailure).join('; ')}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
