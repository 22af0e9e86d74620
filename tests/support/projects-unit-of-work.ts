import { noIdempotencyRecords } from '../../src/building-blocks/application/testing/no-idempotency-records.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import {
  KyselyUnitOfWork,
  type Reading,
} from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { RecentRaces } from '../../src/building-blocks/infrastructure/recent-races.ts';
import type { ProjectsRepositories } from '../../src/projects/application/ports.ts';
import { KyselyProjectOwners } from '../../src/projects/infrastructure/kysely-project-owners.ts';
import { KyselyProjectRepository } from '../../src/projects/infrastructure/kysely-project-repository.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import { testOutbox } from './test-outbox.ts';

/**
 * The `projects` unit of work over a real database, as module.ts builds it (without
 * idempotency records); `onAttempt` hears each attempt begin, `onLoad`, for each project an
 * attempt loads, whether it took the project's row lock. Each call makes a new unit of work,
 * which remembers no race lost before it (`recentRaces` to share one).
 */
export function projectsUnitOfWork(
  database: Database,
  {
    onAttempt,
    onLoad,
    recentRaces,
  }: { onAttempt?: () => void; onLoad?: (locked: boolean) => void; recentRaces?: RecentRaces } = {},
) {
  return new KyselyUnitOfWork<ProjectsTables, ProjectsRepositories>(
    database,
    (tx, tracker, reading) => {
      onAttempt?.();
      return {
        projects: new KyselyProjectRepository(
          tx,
          tracker,
          onLoad ? heard(reading, onLoad) : reading,
        ),
        owners: new KyselyProjectOwners(tx, { lockRows: database.supportsRowLocks }),
        idempotency: noIdempotencyRecords,
      };
    },
    testOutbox(database, 'projects'),
    { lockAfterLostRace: true, ...(recentRaces && { recentRaces }) },
  );
}

function heard(reading: Reading, onLoad: (locked: boolean) => void): Reading {
  return {
    locks(aggregate) {
      const locked = reading.locks(aggregate);
      onLoad(locked);
      return locked;
    },
  };
}
