import type { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectSummary } from '../views.ts';
import type { ProjectReadModel } from './project-read-model.ts';

export interface ListProjectSummaries {
  ownerId: UserId;
}

/**
 * Id and name of each of a user's projects: what `projects` offers `accounts` for
 * `GET /users/me`, through the composition root.
 */
export function listProjectSummaries(
  query: ListProjectSummaries,
  { readModel }: { readModel: ProjectReadModel },
): Promise<Serialized<ProjectSummary[]>> {
  return readModel.listProjectSummaries(query.ownerId);
}
