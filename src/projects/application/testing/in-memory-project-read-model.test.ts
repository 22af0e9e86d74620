import { projectReadModelContract } from '../../../../tests/contracts/project-read-model.contract.ts';
import { FakeUnitOfWork } from '../../../building-blocks/application/testing/fake-unit-of-work.ts';
import { noIdempotencyRecords } from '../../../building-blocks/application/testing/no-idempotency-records.ts';
import type { ProjectsRepositories } from '../ports.ts';
import { InMemoryProjectReadModel } from './in-memory-project-read-model.ts';
import {
  InMemoryOwnerStore,
  InMemoryProjectOwners,
  InMemoryProjectRepository,
  InMemoryProjectStore,
} from './in-memory-projects.ts';

projectReadModelContract('in-memory fake', async () => {
  const store = new InMemoryProjectStore();
  const owners = new InMemoryOwnerStore();
  const uow = new FakeUnitOfWork<ProjectsRepositories>({
    stores: [store, owners],
    repositories: (tracker) => ({
      projects: new InMemoryProjectRepository(store, tracker),
      owners: new InMemoryProjectOwners(owners),
      idempotency: noIdempotencyRecords,
    }),
  });
  return { uow, readModel: new InMemoryProjectReadModel(store) };
});
