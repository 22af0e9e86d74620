import type { AccountsRepositories } from '../../src/accounts/application/ports.ts';
import { KyselySessionRepository } from '../../src/accounts/infrastructure/kysely-session-repository.ts';
import { KyselyUserRepository } from '../../src/accounts/infrastructure/kysely-user-repository.ts';
import type { AccountsTables } from '../../src/accounts/infrastructure/tables.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { OutboxMessage } from '../../src/building-blocks/messaging/outbox-message.ts';
import { testOutbox } from './test-outbox.ts';

/** The `accounts` unit of work over a real database, as module.ts builds it; its messages
 * are collected in `dispatched`. */
export function accountsUnitOfWork(database: Database, dispatched: OutboxMessage[] = []) {
  return new KyselyUnitOfWork<AccountsTables, AccountsRepositories>(
    database,
    (trx, tracker) => ({
      users: new KyselyUserRepository(trx, tracker, { lockRows: database.supportsRowLocks }),
      sessions: new KyselySessionRepository(trx, tracker),
    }),
    testOutbox(database, 'accounts', dispatched),
  );
}
