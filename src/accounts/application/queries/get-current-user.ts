import { type Json, jsonObject, toJson } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { UserNotFound } from '../../domain/errors.ts';
import type { ProjectSummary, ProjectsOfUser, UserReadModel, UserView } from './read-models.ts';

export interface CurrentUser extends UserView {
  projects: ProjectSummary[];
}

/** The current user with their projects, as the JSON the API answers with. */
export async function getCurrentUser(
  userId: UserId,
  { users, projects }: { users: UserReadModel; projects: ProjectsOfUser },
): Promise<Json<CurrentUser>> {
  const [user, projectList] = await Promise.all([
    users.findUser(userId),
    projects.listProjectsOf(userId),
  ]);
  if (!user) throw new UserNotFound();
  return jsonObject<CurrentUser>({
    id: toJson(user.id),
    email: toJson(user.email),
    projects: projectList,
  });
}
