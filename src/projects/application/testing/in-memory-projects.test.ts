import { projectRepositoryContract } from '../../../../tests/contracts/project-repository.contract.ts';
import { FakeUnitOfWork } from '../../../building-blocks/application/testing/fake-unit-of-work.ts';
import { noIdempotencyRecords } from '../../../building-blocks/application/testing/no-idempotency-records.ts';
import type { ProjectsRepositories } from '../ports.ts';
import {
  InMemoryOwnerStore,
  InMemoryProjectOwners,
  InMemoryProjectRepository,
  InMemoryProjectStore,
} from './in-memory-projects.ts';

projectRepositoryContract('in-memory fake', async () => {
  const store = new InMemoryProjectStore();
  const owners = new InMemoryOwnerStore();
  return new FakeUnitOfWork<ProjectsRepositories>({
    stores: [store, owners],
    repositories: (tracker) => ({
      projects: new InMemoryProjectRepository(store, tracker),
      owners: new InMemoryProjectOwners(owners),
      idempotency: noIdempotencyRecords,
    }),
  });
});
