import { afterAll } from 'vitest';
import { projectRepositoryContract } from '../contracts/project-repository.contract.ts';
import { projectsUnitOfWork } from '../support/projects-unit-of-work.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

const opened: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const database of opened) await database.drop();
});

projectRepositoryContract(`Kysely on ${TEST_DIALECT}`, async () => {
  const test = await openTestDatabase();
  opened.push(test);
  const { database } = test;
  return projectsUnitOfWork(database);
});
