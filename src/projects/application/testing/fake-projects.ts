import { FakeUnitOfWork } from '../../../building-blocks/application/testing/fake-unit-of-work.ts';
import { FixedClock } from '../../../building-blocks/application/testing/fixed-clock.ts';
import type { ProjectId, ProjectState } from '../../domain/project.ts';
import type { aProject } from '../../domain/testing/project-builder.ts';
import type { ProjectsRepositories } from '../ports.ts';
import { InMemoryProjectReadModel } from './in-memory-project-read-model.ts';
import {
  InMemoryOwnerStore,
  InMemoryProjectOwners,
  InMemoryProjectRepository,
  InMemoryProjectStore,
} from './in-memory-projects.ts';

export type FakeProjects = ReturnType<typeof fakeProjects>;

/** Every port of `projects`, faked and wired together, for unit tests of its use cases. */
export function fakeProjects() {
  const store = new InMemoryProjectStore();
  const owners = new InMemoryOwnerStore();
  /** Users whose idempotency keys a command forgot. */
  const keysForgotten: string[] = [];
  const uow = new FakeUnitOfWork<ProjectsRepositories>({
    stores: [store, owners],
    repositories: (tracker) => ({
      projects: new InMemoryProjectRepository(store, tracker),
      owners: new InMemoryProjectOwners(owners),
      idempotency: {
        complete: async () => {},
        forgetAllOf: async (userId) => void keysForgotten.push(userId),
      },
    }),
  });
  return {
    store,
    owners,
    keysForgotten,
    uow,
    readModel: new InMemoryProjectReadModel(store),
    clock: new FixedClock(),
    /** Puts a project into the store as if an earlier command had saved it. */
    given(builder: ReturnType<typeof aProject>): ProjectId {
      const project = builder.build();
      store.set(project.id, project.toState());
      store.lastId = Math.max(store.lastId, project.id);
      return project.id;
    },
    /** The project as the store holds it now. */
    stored(id: number): ProjectState | undefined {
      return store.get(id as ProjectId);
    },
  };
}
