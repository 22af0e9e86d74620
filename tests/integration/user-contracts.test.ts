import { afterAll } from 'vitest';
import { SqlSessionReadModel } from '../../src/accounts/infrastructure/sql-session-read-model.ts';
import { SqlUserReadModel } from '../../src/accounts/infrastructure/sql-user-read-model.ts';
import { sessionContract } from '../contracts/session-repository.contract.ts';
import { userReadModelContract } from '../contracts/user-read-model.contract.ts';
import { userRepositoryContract } from '../contracts/user-repository.contract.ts';
import { accountsUnitOfWork } from '../support/accounts-unit-of-work.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

const opened: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const database of opened) await database.drop();
});

async function realAdapters() {
  const test = await openTestDatabase();
  opened.push(test);
  const { database } = test;
  const uow = accountsUnitOfWork(database);
  return {
    uow,
    readModel: new SqlUserReadModel(database.reads),
    sessions: new SqlSessionReadModel(database.reads),
  };
}

userRepositoryContract(`Kysely on ${TEST_DIALECT}`, async () => (await realAdapters()).uow);
userReadModelContract(`SQL on ${TEST_DIALECT}`, realAdapters);
sessionContract(`SQL on ${TEST_DIALECT}`, realAdapters);
