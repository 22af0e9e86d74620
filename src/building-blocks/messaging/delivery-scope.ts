import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The handler delivery under way, for the unit of work the handler runs: it writes "handler
 * H processed message M" into its context's inbox in its own transaction, so the handler's
 * effects and that record commit together (or neither does).
 */
export interface Delivery {
  readonly messageId: string;
  /** The inbox's context: the handler's. */
  readonly context: string;
  readonly handler: string;
  /** Set once a unit of work wrote the inbox row: one per delivery. */
  recorded: boolean;
}

const current = new AsyncLocalStorage<Delivery>();

export const deliveryScope = {
  run<T>(delivery: Delivery, work: () => Promise<T>): Promise<T> {
    return current.run(delivery, work);
  },
  /** The delivery whose handler is running here, if any. */
  current(): Delivery | undefined {
    return current.getStore();
  },
};

/**
 * Thrown inside a unit of work that finds its delivery already in the inbox: the handler ran
 * before (a redelivery), so its work rolls back and the consumer treats the delivery as done.
 */
export class AlreadyProcessed extends Error {
  override readonly name = 'AlreadyProcessed';
}
