import type { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectSummary, ProjectView, TaskView } from '../views.ts';

/** Which tasks a list shows: all of them, the open ones or the completed ones. */
export type TaskStatus = 'open' | 'completed';

/**
 * One page of a list in key order (keyset pagination): at most `limit` items whose key (a
 * project's id, a task's number) is greater than `after`.
 */
export interface PageRequest {
  limit: number;
  after?: number;
}

/** `next`: the key of the page's last item when more items follow, else null. */
export interface Page<Items> {
  items: Items;
  next: number | null;
}

/** A view and the version of the aggregate it was read from (for `ETag`). */
export interface Versioned<View> {
  view: View;
  version: number;
}

/** How many projects `GET /users/me` lists at most: the full list is paged on `/projects`. */
export const PROJECT_SUMMARIES_LIMIT = 50;

/**
 * Reads of the projects tables that skip the aggregate (CQRS). Every read is scoped to
 * the owner: another user's project reads exactly like a missing one, and so does a
 * deleted project. The task list and the summaries come as `Serialized` views, which the
 * database may write as JSON itself; the other reads as plain views.
 */
export interface ProjectReadModel {
  /** A page of the owner's projects, oldest first (by id). */
  listProjects(ownerId: UserId, page: PageRequest): Promise<Page<ProjectView[]>>;
  findProject(ownerId: UserId, projectId: number): Promise<Versioned<ProjectView> | undefined>;
  /** A page of the project's tasks by number, or undefined when the project is not the owner's. */
  listTasks(
    ownerId: UserId,
    projectId: number,
    page: PageRequest & { status?: TaskStatus },
  ): Promise<Page<Serialized<TaskView[]>> | undefined>;
  /** Undefined when the project is not the owner's; `task` undefined when it has no such task. */
  findTask(
    ownerId: UserId,
    projectId: number,
    taskNumber: number,
  ): Promise<{ task: TaskView | undefined } | undefined>;
  /** Id and name of the owner's first `PROJECT_SUMMARIES_LIMIT` projects, oldest first. */
  listProjectSummaries(ownerId: UserId): Promise<Serialized<ProjectSummary[]>>;
}
