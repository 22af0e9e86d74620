import { FakeUnitOfWork } from '../../../building-blocks/application/testing/fake-unit-of-work.ts';
import { FixedClock } from '../../../building-blocks/application/testing/fixed-clock.ts';
import type { ProjectsRepositories } from '../ports.ts';
import { InMemoryProjectReadModel } from './in-memory-project-read-model.ts';
import { InMemoryProjectRepository, InMemoryProjectStore } from './in-memory-projects.ts';

/** Every port of `projects`, faked and wired together, for unit tests of its use cases. */
export function fakeProjects() {
  const store = new InMemoryProjectStore();
  const uow = new FakeUnitOfWork<ProjectsRepositories>({
    stores: [store],
    repositories: (tracker) => ({ projects: new InMemoryProjectRepository(store, tracker) }),
  });
  return { store, uow, readModel: new InMemoryProjectReadModel(store), clock: new FixedClock() };
}
