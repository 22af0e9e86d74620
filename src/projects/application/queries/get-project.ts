import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { ProjectNotFound } from '../../domain/errors.ts';
import type { ProjectView } from '../views.ts';
import type { ProjectReadModel, Versioned } from './project-read-model.ts';

export interface GetProject {
  actor: UserId;
  projectId: number;
}

/** One of the actor's projects with its version (for `ETag`), or `ProjectNotFound`. */
export async function getProject(
  query: GetProject,
  { readModel }: { readModel: ProjectReadModel },
): Promise<Versioned<ProjectView>> {
  const project = await readModel.findProject(query.actor, query.projectId);
  if (!project) throw new ProjectNotFound(query.projectId);
  return project;
}
