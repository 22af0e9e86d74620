import { afterAll } from 'vitest';
import type { AccountsRepositories } from '../../src/accounts/application/ports.ts';
import { KyselySessionRepository } from '../../src/accounts/infrastructure/kysely-session-repository.ts';
import { KyselyUserRepository } from '../../src/accounts/infrastructure/kysely-user-repository.ts';
import { SqlSessionReadModel } from '../../src/accounts/infrastructure/sql-session-read-model.ts';
import { SqlUserReadModel } from '../../src/accounts/infrastructure/sql-user-read-model.ts';
import type { AccountsTables } from '../../src/accounts/infrastructure/tables.ts';
import { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import { sessionContract } from '../contracts/session-repository.contract.ts';
import { userReadModelContract } from '../contracts/user-read-model.contract.ts';
import { userRepositoryContract } from '../contracts/user-repository.contract.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';
import { testOutbox } from '../support/test-outbox.ts';

const opened: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const database of opened) await database.drop();
});

async function realAdapters() {
  const test = await openTestDatabase();
  opened.push(test);
  const { database } = test;
  const uow = new KyselyUnitOfWork<AccountsTables, AccountsRepositories>(
    database,
    (trx, tracker) => ({
      users: new KyselyUserRepository(trx, tracker),
      sessions: new KyselySessionRepository(trx, tracker),
    }),
    testOutbox(database, 'accounts'),
  );
  return {
    uow,
    readModel: new SqlUserReadModel(database.reads),
    sessions: new SqlSessionReadModel(database.reads),
  };
}

userRepositoryContract(`Kysely on ${TEST_DIALECT}`, async () => (await realAdapters()).uow);
userReadModelContract(`SQL on ${TEST_DIALECT}`, realAdapters);
sessionContract(`SQL on ${TEST_DIALECT}`, realAdapters);
