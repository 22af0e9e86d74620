import { ALICE, aProject, BOB } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from './fake-projects.ts';

/** Alice's project 1 with two open tasks, Bob's project 2: the set-up of the query tests. */
export function fakeProjectsOfTwoOwners() {
  const deps = fakeProjects();
  for (const builder of [
    aProject().withId(1).ownedBy(ALICE).withTasks(2),
    aProject().withId(2).ownedBy(BOB),
  ]) {
    const project = builder.build();
    deps.store.set(project.id, project.toState());
  }
  return deps;
}
