import type { ProjectId, ProjectState } from '../../domain/project.ts';
import type { aProject } from '../../domain/testing/project-builder.ts';
import type { fakeProjects } from './fake-projects.ts';

type Fakes = ReturnType<typeof fakeProjects>;

/** Puts a project into the fake store as if an earlier command had saved it. */
export function givenProject(deps: Fakes, builder: ReturnType<typeof aProject>): ProjectId {
  const project = builder.build();
  deps.store.set(project.id, project.toState());
  deps.store.lastId = Math.max(deps.store.lastId, project.id);
  return project.id;
}

/** The project as the fake store holds it now. */
export function storedProject(deps: Fakes, id: number): ProjectState | undefined {
  return deps.store.get(id as ProjectId);
}
