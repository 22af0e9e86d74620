import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { UserNotFound } from '../../domain/errors.ts';
import type { ProjectSummary, ProjectsOfUser, UserReadModel, UserView } from './read-models.ts';

export interface CurrentUser extends UserView {
  projects: ProjectSummary[];
}

export async function getCurrentUser(
  userId: UserId,
  { users, projects }: { users: UserReadModel; projects: ProjectsOfUser },
): Promise<CurrentUser> {
  const [user, projectList] = await Promise.all([
    users.findUser(userId),
    projects.listProjectsOf(userId),
  ]);
  if (!user) throw new UserNotFound();
  return { ...user, projects: projectList };
}
