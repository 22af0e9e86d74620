import type { MessageTransport } from './message-transport.ts';
import type { OutboxMessage } from './outbox-message.ts';
import { type RetryPolicy, retryDelayMs } from './retry-policy.ts';
import type { OutboxStats, SqlOutbox } from './sql-outbox.ts';
import { UndeliverableMessage } from './undeliverable-message.ts';

export interface RelayLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface RelayOptions {
  retry: RetryPolicy;
  /** How often the outboxes are polled for what is left. */
  pollIntervalMs: number;
  /** How long a claim holds: a process that dies holding one frees it when it runs out. */
  leaseMs: number;
  /** Processed messages are deleted once this old. */
  retentionMs: number;
  /** Messages claimed per poll. */
  batchSize?: number;
  /**
   * How many messages of a batch are delivered at once, started in id order (their handlers'
   * transactions then share a COMMIT on SQLite). 1: each waits for the one before.
   */
  concurrency?: number;
  /** How often processed messages are purged and the backlog logged. */
  housekeepingIntervalMs?: number;
  now?: () => Date;
}

/**
 * Takes committed messages out of the outboxes and hands them to the transport. Two paths:
 * - `dispatch`: right after a COMMIT, the messages the committing process just wrote (and
 *   claimed for itself) are sent at once, so a request sees its handlers' effects;
 * - the poll: every `pollIntervalMs`, whatever is left (a crash, a failed handler whose
 *   back-off ran out, a claim that expired) is claimed and sent, oldest id first.
 * A failed send is retried with back-off, then dead-lettered; one that can never succeed
 * (`UndeliverableMessage`) is dead-lettered at once. Nothing here throws to the caller.
 */
export class OutboxRelay {
  readonly #outboxes: Map<string, SqlOutbox>;
  readonly #transport: MessageTransport;
  readonly #log: RelayLogger;
  readonly #options: Required<RelayOptions>;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #inFlight = new Set<Promise<void>>();
  #stopped = false;
  #lastHousekeeping = 0;

  constructor(
    outboxes: readonly SqlOutbox[],
    transport: MessageTransport,
    log: RelayLogger,
    options: RelayOptions,
  ) {
    this.#outboxes = new Map(outboxes.map((outbox) => [outbox.context, outbox]));
    this.#transport = transport;
    this.#log = log;
    this.#options = {
      batchSize: 100,
      concurrency: 1,
      housekeepingIntervalMs: 60_000,
      now: () => new Date(),
      ...options,
    };
  }

  /** The lease the writer of new messages takes on them (it dispatches them itself). */
  leaseFrom(now: Date): Date {
    return new Date(now.getTime() + this.#options.leaseMs);
  }

  /** Right after a COMMIT: sends the messages that unit of work wrote, in order. */
  dispatch(messages: readonly OutboxMessage[]): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    const sending = this.#sendAll(messages);
    this.#inFlight.add(sending);
    return sending.finally(() => this.#inFlight.delete(sending));
  }

  /** Starts polling. */
  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => {
      this.#polling ??= this.pollOnce().finally(() => {
        this.#polling = undefined;
      });
    }, this.#options.pollIntervalMs);
    this.#timer.unref();
  }

  /** Claims and sends what is due in every outbox until none is left; how many it sent. */
  async pollOnce(): Promise<void> {
    try {
      for (const outbox of this.#outboxes.values()) {
        while (!this.#stopped) {
          const now = this.#options.now();
          const batch = await outbox.claim(now, this.leaseFrom(now), this.#options.batchSize);
          if (batch.length === 0) break;
          await this.#sendAll(batch);
          if (batch.length < this.#options.batchSize) break;
        }
      }
      await this.#housekeeping();
    } catch (error) {
      // The database refused (down, busy): the next poll tries again.
      this.#log.warn({ err: error }, 'outbox relay: poll failed; trying again at the next poll');
    }
  }

  /** Stops taking new messages and waits for the deliveries under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#polling;
    await Promise.allSettled([...this.#inFlight]);
  }

  async stats(): Promise<OutboxStats[]> {
    const now = this.#options.now();
    return Promise.all([...this.#outboxes.values()].map((outbox) => outbox.stats(now)));
  }

  async #sendAll(messages: readonly OutboxMessage[]): Promise<void> {
    const delivered: OutboxMessage[] = [];
    const sendOne = async (message: OutboxMessage) => {
      try {
        await this.#transport.send(message);
        delivered.push(message);
      } catch (error) {
        await this.#failed(message, error).catch((recordError: unknown) =>
          // Not even the failure could be recorded: the claim runs out and a poll retries.
          this.#log.error(
            { err: recordError, messageId: message.id },
            'outbox relay: could not record a failed delivery',
          ),
        );
      }
    };
    const { concurrency } = this.#options;
    for (let start = 0; start < messages.length; start += concurrency) {
      await Promise.all(messages.slice(start, start + concurrency).map(sendOne));
    }
    const now = this.#options.now();
    for (const [context, group] of groupByContext(delivered)) {
      await this.#outbox(context)
        .markProcessed(
          group.map((m) => m.id),
          now,
        )
        .catch((error: unknown) =>
          // Delivered but not marked: delivered again after the claim runs out; the inbox
          // makes that harmless.
          this.#log.error({ err: error, context }, 'outbox relay: could not mark delivered'),
        );
    }
  }

  async #failed(message: OutboxMessage, error: unknown): Promise<void> {
    const now = this.#options.now();
    const attempts = message.attempts + 1;
    const reason = describe(error);
    const permanent = error instanceof UndeliverableMessage;
    const dead = permanent || attempts >= this.#options.retry.maxAttempts;
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(this.#options.retry, attempts));
    await this.#outbox(message.context).markFailed(message.id, {
      attempts,
      error: reason,
      nextAttemptAt,
      deadAt: dead ? now : null,
    });
    const details = {
      messageId: message.id,
      context: message.context,
      type: message.type,
      attempts,
      error: reason,
    };
    if (dead) this.#log.error(details, 'outbox relay: message dead-lettered');
    else
      this.#log.warn(
        { ...details, nextAttemptAt: nextAttemptAt.toISOString() },
        'outbox relay: delivery failed; retrying later',
      );
  }

  async #housekeeping(): Promise<void> {
    const now = this.#options.now();
    if (now.getTime() - this.#lastHousekeeping < this.#options.housekeepingIntervalMs) return;
    this.#lastHousekeeping = now.getTime();
    const before = new Date(now.getTime() - this.#options.retentionMs);
    for (const outbox of this.#outboxes.values()) {
      const purged = await outbox.purge(before);
      const stats = await outbox.stats(now);
      if (purged > 0 || stats.pending > 0 || stats.dead > 0) {
        this.#log.info({ ...stats, purged }, 'outbox backlog');
      }
    }
  }

  #outbox(context: string): SqlOutbox {
    const outbox = this.#outboxes.get(context);
    if (!outbox) throw new Error(`No outbox for context ${context}.`);
    return outbox;
  }
}

function groupByContext(messages: readonly OutboxMessage[]): Map<string, OutboxMessage[]> {
  const groups = new Map<string, OutboxMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.context) ?? [];
    group.push(message);
    groups.set(message.context, group);
  }
  return groups;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) {
    return `${error.message}: ${error.errors.map(describe).join('; ')}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
