import { noIdempotencyRecords } from '../../src/building-blocks/application/testing/no-idempotency-records.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import {
  KyselyUnitOfWork,
  type Reading,
} from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { ProjectsRepositories } from '../../src/projects/application/ports.ts';
import { KyselyProjectOwners } from '../../src/projects/infrastructure/kysely-project-owners.ts';
import { KyselyProjectRepository } from '../../src/projects/infrastructure/kysely-project-repository.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import { testOutbox } from './test-outbox.ts';

/**
 * The `projects` unit of work over a real database, as module.ts builds it (without
 * idempotency records); `onAttempt` hears how each attempt reads (with row locks or not).
 */
export function projectsUnitOfWork(
  database: Database,
  { onAttempt }: { onAttempt?: (reading: Reading) => void } = {},
) {
  return new KyselyUnitOfWork<ProjectsTables, ProjectsRepositories>(
    database,
    (tx, tracker, reading) => {
      onAttempt?.(reading);
      return {
        projects: new KyselyProjectRepository(tx, tracker, reading),
        owners: new KyselyProjectOwners(tx, { lockRows: database.supportsRowLocks }),
        idempotency: noIdempotencyRecords,
      };
    },
    testOutbox(database, 'projects'),
    { lockAfterLostRace: true },
  );
}
