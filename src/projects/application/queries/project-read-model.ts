import type { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectSummary, ProjectView, TaskView } from '../views.ts';

/**
 * Reads of the projects tables that skip the aggregate (CQRS). Every read is scoped to
 * the owner: another user's project reads exactly like a missing one, and so does a
 * deleted project. The task list and the summaries come as `Serialized` views, which the
 * database may write as JSON itself; the other reads as plain views.
 */
export interface ProjectReadModel {
  /** The owner's projects, oldest first. */
  listProjects(ownerId: UserId): Promise<ProjectView[]>;
  findProject(ownerId: UserId, projectId: number): Promise<ProjectView | undefined>;
  /** The project's tasks by number, or undefined when the project is not the owner's. */
  listTasks(ownerId: UserId, projectId: number): Promise<Serialized<TaskView[]> | undefined>;
  /** Undefined when the project is not the owner's; `task` undefined when it has no such task. */
  findTask(
    ownerId: UserId,
    projectId: number,
    taskNumber: number,
  ): Promise<{ task: TaskView | undefined } | undefined>;
  /** Id and name of each of the owner's projects, oldest first. */
  listProjectSummaries(ownerId: UserId): Promise<Serialized<ProjectSummary[]>>;
}
