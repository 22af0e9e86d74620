import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectView } from '../views.ts';
import type { Page, PageRequest, ProjectReadModel } from './project-read-model.ts';

export interface ListProjects extends PageRequest {
  actor: UserId;
}

/** A page of the actor's projects, oldest first; deleted ones are gone. */
export function listProjects(
  { actor, ...page }: ListProjects,
  { readModel }: { readModel: ProjectReadModel },
): Promise<Page<ProjectView[]>> {
  return readModel.listProjects(actor, page);
}
