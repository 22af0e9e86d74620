import type { DomainEvent } from '../domain/domain-event.ts';
import type { MessageContract } from './contract.ts';

/**
 * How a handler takes effect once:
 * - `unit-of-work`: its effects are one unit of work, which records the delivery in its
 *   context's inbox in the same transaction (exactly once);
 * - `outside`: its effect leaves the database (an email): the inbox is checked before and
 *   written after, so a crash in between repeats it (at least once);
 * - `none`: its effect is harmless to repeat (a log line).
 */
export type InboxMode = 'unit-of-work' | 'outside' | 'none';

export interface HandlerName {
  /** The consuming context: its inbox records the deliveries. */
  readonly context: string;
  /** Stable across releases: the inbox keys on it. */
  readonly name: string;
  readonly inbox: InboxMode;
}

export type MessageHandler<E extends DomainEvent> = (
  event: E,
  message: { id: string },
) => Promise<void>;

interface Subscription {
  readonly contract: MessageContract;
  readonly handler: HandlerName;
  readonly handle: MessageHandler<DomainEvent>;
}

/**
 * Who handles which integration event, registered by the modules explicitly (nothing is
 * discovered). Keyed by type, then by version: a handler is bound to one contract.
 */
export class MessageHandlers {
  readonly #byType = new Map<string, Subscription[]>();

  subscribe<E extends DomainEvent>(
    contract: MessageContract<E>,
    handler: HandlerName,
    handle: MessageHandler<E>,
  ): void {
    const subscriptions = this.#byType.get(contract.type) ?? [];
    const key = `${handler.context}.${handler.name}`;
    if (subscriptions.some((s) => `${s.handler.context}.${s.handler.name}` === key)) {
      throw new Error(`${key} is already subscribed to ${contract.type}.`);
    }
    subscriptions.push({
      contract: contract as MessageContract,
      handler,
      handle: handle as MessageHandler<DomainEvent>,
    });
    this.#byType.set(contract.type, subscriptions);
  }

  /** The subscriptions to `type`; of one consuming context's handlers only, if given. */
  of(type: string, context?: string): readonly Subscription[] {
    const subscriptions = this.#byType.get(type) ?? [];
    if (context === undefined) return subscriptions;
    return subscriptions.filter((s) => s.handler.context === context);
  }

  /** Which message types each consuming context's handlers subscribe to (a broker's bindings). */
  typesByContext(): Map<string, string[]> {
    const types = new Map<string, string[]>();
    for (const [type, subscriptions] of this.#byType) {
      for (const { handler } of subscriptions) {
        const ofContext = types.get(handler.context) ?? [];
        if (!ofContext.includes(type)) ofContext.push(type);
        types.set(handler.context, ofContext);
      }
    }
    return types;
  }
}
