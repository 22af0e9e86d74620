import { DeliveryFailures } from './delivery-failures.ts';
import { type MessageTransport, TransportUnavailable } from './message-transport.ts';
import type { MessagingLogger } from './messaging-logger.ts';
import type { OutboxMessage } from './outbox-message.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { OutboxStats, SqlOutbox } from './sql-outbox.ts';

/**
 * How many leases a batch's claims are kept moving while its deliveries run: past that, a
 * delivery that has not returned is taken to hang, and other relays may take its messages.
 */
const MAX_HOLD_LEASES = 10;

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
 *   claimed for itself) are sent at once, so a request sees its handlers' effects in the
 *   database (not waiting for those that leave it: an email);
 * - the poll: every `pollIntervalMs`, whatever is left (a crash, a failed handler whose
 *   back-off ran out, a claim that expired) is claimed and sent, oldest id first.
 * A failed send is retried with back-off, then dead-lettered; one that can never succeed
 * (`UndeliverableMessage`) is dead-lettered at once (`DeliveryFailures`). A transport that is
 * away (`TransportUnavailable`) costs no attempt: the claims are freed and the poll stops until
 * it is back. Nothing here throws to the caller.
 */
export class OutboxRelay {
  readonly #outboxes: Map<string, SqlOutbox>;
  readonly #transport: MessageTransport;
  readonly #log: MessagingLogger;
  readonly #failures: DeliveryFailures;
  readonly #options: Required<RelayOptions>;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #inFlight = new Set<Promise<void>>();
  #stopped = false;
  #lastHousekeeping = 0;
  /** Since a poll failed, until one succeeds. */
  #pollsFailing = false;
  /** Since the transport turned a message away, until it takes one again. */
  #transportAway = false;

  constructor(
    outboxes: readonly SqlOutbox[],
    transport: MessageTransport,
    log: MessagingLogger,
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
    this.#failures = new DeliveryFailures(outboxes, options.retry, log, this.#options.now);
  }

  /** The lease the writer of new messages takes on them (it dispatches them itself). */
  leaseFrom(now: Date): Date {
    return new Date(now.getTime() + this.#options.leaseMs);
  }

  /**
   * Right after a COMMIT: sends the messages that unit of work wrote, in order. Resolves once
   * they are marked delivered (or failed), or before, once the effects a request should see
   * are in place (`MessageTransport.send`): in process, the handlers whose effects are in the
   * database have run, and those whose effect leaves it (an email) go on after the request
   * was answered. The messages are marked once those are done too, and `stop` waits for them.
   */
  dispatch(messages: readonly OutboxMessage[]): Promise<void> {
    if (this.#stopped) {
      // Written by a unit of work that finished while this process stops (a handler under
      // way): freed at once for another process's poll, not left claimed until the lease ends.
      this.#log.info(
        { messages: messages.length },
        'outbox relay: stopping; new messages left to the next poll of another process',
      );
      return this.#release(messages);
    }
    const visible = Promise.withResolvers<void>();
    const sending = this.#sendAll(messages, visible.resolve).then(() => {});
    this.#inFlight.add(sending);
    void sending
      // Not expected (every failure is recorded or logged on the way), but no one else awaits
      // this to the end: it must not become an unhandled rejection.
      .catch((error: unknown) => this.#log.error({ err: error }, 'outbox relay: dispatch failed'))
      .finally(() => {
        this.#inFlight.delete(sending);
        visible.resolve();
      });
    return visible.promise;
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
      await this.#transport.ready();
    } catch {
      return; // The transport logs its own state; the next poll tries again.
    }
    try {
      for (const outbox of this.#outboxes.values()) {
        while (!this.#stopped) {
          const now = this.#options.now();
          const batch = await outbox.claim(now, this.leaseFrom(now), this.#options.batchSize);
          if (batch.length === 0) break;
          const { transportAway } = await this.#sendAll(batch);
          if (transportAway) return;
          if (batch.length < this.#options.batchSize) break;
        }
      }
      await this.#housekeeping();
      if (this.#pollsFailing) {
        this.#pollsFailing = false;
        this.#log.info({}, 'outbox relay: polling again');
      }
    } catch (error) {
      // The database refused (down, busy): the next poll tries again. Said once per outage,
      // not at every poll.
      if (this.#pollsFailing) return;
      this.#pollsFailing = true;
      this.#log.warn(
        { err: error },
        'outbox relay: poll failed; trying again at each poll, quietly until one succeeds',
      );
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

  /**
   * Sends `messages` in windows; whether the transport turned out to be away. With
   * `onVisible` (a dispatch, which a request waits for), a window starts once the effects of
   * the one before are visible, and `onVisible` is called once those of all are, if handlers
   * whose effect leaves the database are still running then. Without (the poll, which no one
   * waits for), a window starts once the one before is done: no more than `concurrency` run.
   */
  async #sendAll(
    messages: readonly OutboxMessage[],
    onVisible?: () => void,
  ): Promise<{ transportAway: boolean }> {
    const delivered: OutboxMessage[] = [];
    const unsent: OutboxMessage[] = [];
    let unavailable: TransportUnavailable | undefined;
    const underWay = new Set(messages);
    const sendOne = (message: OutboxMessage) => {
      const visible = Promise.withResolvers<void>();
      const done = (async () => {
        try {
          await this.#transport.send(message, onVisible && visible.resolve);
          delivered.push(message);
        } catch (error) {
          if (error instanceof TransportUnavailable) {
            unavailable ??= error;
            return void unsent.push(message);
          }
          await this.#failures.record(message, error).catch((recordError: unknown) =>
            // Not even the failure could be recorded: the claim runs out and a poll retries.
            this.#log.error(
              { err: recordError, messageId: message.id },
              'outbox relay: could not record a failed delivery',
            ),
          );
        } finally {
          underWay.delete(message);
          visible.resolve();
        }
      })();
      return { visible: visible.promise, done };
    };
    const { concurrency } = this.#options;
    const claims = this.#keepClaims(underWay);
    const sending: Promise<void>[] = [];
    try {
      for (let start = 0; start < messages.length; start += concurrency) {
        // The transport is away: the rest of the batch waits for the next poll with the others.
        if (unsent.length > 0) {
          unsent.push(...messages.slice(start));
          break;
        }
        const window = messages.slice(start, start + concurrency).map(sendOne);
        sending.push(...window.map(({ done }) => done));
        await Promise.all(window.map(({ visible }) => visible));
      }
      // Only handlers a request need not wait for are still running (an email): it goes on.
      if (underWay.size > 0) onVisible?.();
      await Promise.all(sending);
    } finally {
      await claims.stop();
    }
    const now = this.#options.now();
    for (const [context, group] of groupByContext(delivered)) {
      await this.#outbox(context)
        .markProcessed(group, now)
        .catch((error: unknown) =>
          // Delivered but not marked: delivered again after the claim runs out; the inbox
          // makes that harmless.
          this.#log.error({ err: error, context }, 'outbox relay: could not mark delivered'),
        );
    }
    if (delivered.length > 0) this.#transportAway = false;
    if (unsent.length > 0) {
      // Said once per outage: every request that writes a message meets the same outage (one
      // line per registration while the broker was down), and the transport logs its own
      // state. The messages wait in the outbox either way.
      if (!this.#transportAway) {
        this.#transportAway = true;
        this.#log.warn(
          { cause: unavailable?.message, messages: unsent.length },
          'outbox relay: the transport is unavailable; messages wait in the outbox for a poll, quietly until it takes one again',
        );
      }
      await this.#release(unsent);
    }
    return { transportAway: unsent.length > 0 };
  }

  /**
   * While messages are under way, their claim is moved on every third of the lease: a
   * delivery that takes longer than the lease (a slow mail server) is not taken by another
   * relay and delivered a second time meanwhile. Not for ever: after `MAX_HOLD_LEASES` leases
   * the claims are left to run out, so a handler that never returns holds its batch for a
   * while, not until the process ends; and a process that dies stops moving them at once.
   */
  #keepClaims(underWay: ReadonlySet<OutboxMessage>): { stop(): Promise<void> } {
    const { leaseMs } = this.#options;
    const giveUpAt = Date.now() + MAX_HOLD_LEASES * leaseMs;
    let moving: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      if (moving) return; // the last move has not finished: the database is slow
      if (Date.now() >= giveUpAt) {
        clearInterval(timer);
        this.#log.warn(
          { messages: underWay.size, seconds: Math.round((MAX_HOLD_LEASES * leaseMs) / 1000) },
          'outbox relay: deliveries still under way after this long; their claims are left to run out',
        );
        return;
      }
      const until = this.leaseFrom(this.#options.now());
      moving = Promise.all(
        [...groupByContext([...underWay])].map(([context, group]) =>
          this.#outboxes.get(context)?.extendClaim(
            group.map((message) => message.id),
            until,
          ),
        ),
      )
        .catch((error: unknown) =>
          this.#log.warn(
            { err: error },
            'outbox relay: could not extend the claim on messages under way',
          ),
        )
        .finally(() => {
          moving = undefined;
        });
    }, leaseMs / 3);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await moving;
      },
    };
  }

  /** Frees the claims on messages this process will not send, for the next poll. */
  async #release(unsent: readonly OutboxMessage[]): Promise<void> {
    for (const [context, group] of groupByContext(unsent)) {
      await this.#outbox(context)
        .release(group.map((m) => m.id))
        // Not freed: the claim runs out and a poll takes them then.
        .catch((error: unknown) =>
          this.#log.error({ err: error, context }, 'outbox relay: could not free claims'),
        );
    }
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
  return Map.groupBy(messages, (message) => message.context);
}
