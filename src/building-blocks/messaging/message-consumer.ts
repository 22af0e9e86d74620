import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import type { MessageContract } from './contract.ts';
import { AlreadyProcessed, deliveryScope } from './delivery-scope.ts';
import type { Inbox } from './inbox.ts';
import type { HandlerName, MessageHandlers } from './message-handlers.ts';
import { type MessageInstrumentation, unobservedMessages } from './message-instrumentation.ts';
import type { OutboxMessage } from './outbox-message.ts';
import { UndeliverableMessage } from './undeliverable-message.ts';

/**
 * Runs every handler subscribed to a message, each taking effect once (the inbox). A handler
 * that fails does not stop the others; `deliver` then rejects, and a later delivery runs
 * only those that did not finish (the others find themselves in the inbox). A payload that
 * does not parse with its contract reaches no handler: `UndeliverableMessage`.
 */
export class MessageConsumer {
  readonly #handlers: MessageHandlers;
  readonly #inbox: Inbox;
  readonly #instrumentation: MessageInstrumentation;
  /**
   * Runs of `outside` handlers under way, by handler and message: a copy of the message that
   * arrives meanwhile (two broker deliveries at once) waits for the first and shares its
   * outcome, rather than passing the inbox check too. Copies in two processes can still both
   * run such a handler: that inbox is at least once (ADR 15).
   */
  readonly #outsideRuns = new Map<string, Promise<void>>();

  constructor(
    handlers: MessageHandlers,
    inbox: Inbox,
    instrumentation: MessageInstrumentation = unobservedMessages,
  ) {
    this.#handlers = handlers;
    this.#inbox = inbox;
    this.#instrumentation = instrumentation;
  }

  /** Whether any handler (of `context`, when given) takes messages of `type`. */
  handles(type: string, context?: string): boolean {
    return this.#handlers.of(type, context).length > 0;
  }

  /**
   * Every transport's way in: in process, from the relay, or a broker's consumer. Runs the
   * handlers of `message`: all of them in process; those of one consuming context when
   * `context` is given (its broker queue's consumer).
   *
   * The handlers whose effects are in the database run first, in order, then those whose
   * effect leaves it (`outside`: an email). `onVisible` is called between the two, if there
   * are any of the second: in process, a request waits for the first and not for a mail
   * server (ADR 15). The returned promise still settles once every handler is done: the
   * delivery's outcome is that of them all.
   */
  deliver(message: OutboxMessage, context?: string, onVisible?: () => void): Promise<void> {
    const subscriptions = this.#handlers.of(message.type, context);
    if (subscriptions.length === 0) return Promise.resolve();
    return this.#instrumentation.delivering(message, () =>
      this.#deliver(message, subscriptions, onVisible),
    );
  }

  async #deliver(
    message: OutboxMessage,
    subscriptions: ReturnType<MessageHandlers['of']>,
    onVisible: () => void = () => {},
  ): Promise<void> {
    // Every handler's payload is parsed before any runs: one that cannot be is undeliverable.
    const runs = subscriptions.map(({ contract, handler, handle }) => {
      const event = { type: message.type, payload: parsed(message, contract, handler) };
      return { handler, run: () => handle(event, { id: message.id }) };
    });
    const failures: unknown[] = [];
    const runAll = async (which: typeof runs) => {
      for (const { handler, run } of which) {
        try {
          await this.#instrumentation.handling(message, handler, () =>
            this.#run(message.id, handler, run),
          );
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const outside = runs.filter(({ handler }) => handler.inbox === 'outside');
    await runAll(runs.filter(({ handler }) => handler.inbox !== 'outside'));
    if (outside.length > 0) {
      onVisible();
      await runAll(outside);
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new AggregateError(failures, `${failures.length} handlers of ${message.type} failed`);
    }
  }

  async #run(
    messageId: string,
    handler: { context: string; name: string; inbox: string },
    work: () => Promise<void>,
  ): Promise<void> {
    const { context, name } = handler;
    if (handler.inbox === 'none') return work();
    if (handler.inbox === 'outside') {
      const key = `${context}/${name}/${messageId}`;
      const running = this.#outsideRuns.get(key);
      if (running) return running;
      const run = (async () => {
        if (await this.#inbox.has(context, messageId, name)) return;
        await work();
        await this.#recordDone(context, messageId, name);
      })().finally(() => this.#outsideRuns.delete(key));
      this.#outsideRuns.set(key, run);
      return run;
    }
    const delivery = { messageId, context, handler: name, recorded: false };
    try {
      await deliveryScope.run(delivery, work);
    } catch (error) {
      if (error instanceof AlreadyProcessed) return;
      throw error;
    }
    // A handler that decided to do nothing ran no unit of work: record it all the same.
    if (!delivery.recorded) await this.#inbox.record(context, messageId, name);
  }

  /**
   * Records the run of an `outside` handler, whose work is done and cannot be taken back (an
   * email sent). Were the delivery to fail because the database refused the record, its
   * retry would do the work again: so while the database is unavailable the record is tried
   * again, for up to a minute. A process that stops meanwhile leaves the work to be done
   * again, as a crash does (ADR 15).
   */
  async #recordDone(context: string, messageId: string, handler: string): Promise<void> {
    const giveUpAt = performance.now() + RECORD_PATIENCE_MS;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 5_000)) {
      try {
        return await this.#inbox.record(context, messageId, handler);
      } catch (error) {
        const retrying = error instanceof DatabaseUnavailable;
        if (!retrying || performance.now() + delayMs > giveUpAt) throw error;
        await sleep(delayMs);
      }
    }
  }
}

/** How long the record of work done outside a transaction waits for the database. */
const RECORD_PATIENCE_MS = 60_000;

/** The payload of `message` as `handler` reads it, or `UndeliverableMessage`. */
function parsed(message: OutboxMessage, contract: MessageContract, handler: HandlerName): unknown {
  if (contract.version !== message.version) {
    throw new UndeliverableMessage(
      `${handler.context}.${handler.name} reads ${message.type} v${contract.version}, not v${message.version}`,
    );
  }
  const result = contract.schema.safeParse(message.payload);
  if (!result.success) {
    throw new UndeliverableMessage(
      `the payload does not match ${message.type} v${message.version}: ${result.error.issues
        .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}
