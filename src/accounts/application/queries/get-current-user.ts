import { Serialized } from '../../../building-blocks/application/json.ts';
import { AccountGone } from '../../../building-blocks/application/not-authenticated.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectSummary, ProjectsOfUser } from './projects-of-user.ts';
import type { UserReadModel, UserView } from './user-read-model.ts';

export interface GetCurrentUser {
  userId: UserId;
}

export interface CurrentUser extends UserView {
  projects: ProjectSummary[];
}

/**
 * The current user with their projects. The projects come serialized from the `projects`
 * context; the user's fields join them without parsing them again.
 */
export async function getCurrentUser(
  query: GetCurrentUser,
  { users, projects }: { users: UserReadModel; projects: ProjectsOfUser },
): Promise<Serialized<CurrentUser>> {
  const [user, projectList] = await Promise.all([
    users.findUser(query.userId),
    projects.listProjectsOf(query.userId),
  ]);
  if (!user) throw new AccountGone();
  return Serialized.object<CurrentUser>({
    id: Serialized.of(user.id),
    email: Serialized.of(user.email),
    projects: projectList,
  });
}
