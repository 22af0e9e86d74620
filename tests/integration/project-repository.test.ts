import { afterAll } from 'vitest';
import { noIdempotencyRecords } from '../../src/building-blocks/application/testing/no-idempotency-records.ts';
import { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { ProjectsRepositories } from '../../src/projects/application/ports.ts';
import { KyselyProjectOwners } from '../../src/projects/infrastructure/kysely-project-owners.ts';
import { KyselyProjectRepository } from '../../src/projects/infrastructure/kysely-project-repository.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import { projectRepositoryContract } from '../contracts/project-repository.contract.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';
import { testOutbox } from '../support/test-outbox.ts';

const opened: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const database of opened) await database.drop();
});

projectRepositoryContract(`Kysely on ${TEST_DIALECT}`, async () => {
  const test = await openTestDatabase();
  opened.push(test);
  const { database } = test;
  return new KyselyUnitOfWork<ProjectsTables, ProjectsRepositories>(
    database,
    (trx, tracker, reading) => ({
      projects: new KyselyProjectRepository(trx, tracker, reading),
      owners: new KyselyProjectOwners(trx, { lockRows: database.supportsRowLocks }),
      idempotency: noIdempotencyRecords,
    }),
    testOutbox(database, 'projects'),
    { lockAfterLostRace: true },
  );
});
