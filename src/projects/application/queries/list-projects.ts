import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectView } from '../views.ts';
import type { ProjectReadModel } from './project-read-model.ts';

export interface ListProjects {
  actor: UserId;
}

/** The actor's projects, oldest first; deleted ones are gone. */
export function listProjects(
  query: ListProjects,
  { readModel }: { readModel: ProjectReadModel },
): Promise<ProjectView[]> {
  return readModel.listProjects(query.actor);
}
