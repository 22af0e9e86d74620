import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { monotonicUuidV7 } from '../../src/building-blocks/messaging/monotonic-ids.ts';
import type { OutboxMessage } from '../../src/building-blocks/messaging/outbox-message.ts';
import { SqlOutbox } from '../../src/building-blocks/messaging/sql-outbox.ts';
import { TransactionalOutbox } from '../../src/building-blocks/messaging/transactional-outbox.ts';

/**
 * A context's outbox for a unit of work under test: messages are stored as in production;
 * what would be dispatched after the COMMIT is collected in `dispatched` instead.
 */
export function testOutbox(
  database: Database,
  context: string,
  dispatched: OutboxMessage[] = [],
): TransactionalOutbox {
  return new TransactionalOutbox(new SqlOutbox(database, context), {
    publishes: [],
    nextId: monotonicUuidV7(),
    now: () => new Date(),
    leaseFrom: (now) => new Date(now.getTime() + 30_000),
    dispatch: async (messages) => {
      dispatched.push(...messages);
    },
  });
}
