import type { Json } from '../../building-blocks/application/json.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { ProjectNotFound, TaskNotFound } from '../domain/errors.ts';
import type { ProjectView, TaskView } from './views.ts';

/**
 * Reads of the projects tables that skip the aggregate (CQRS). Every read is scoped to
 * the owner: another user's project reads exactly like a missing one.
 */
export interface ProjectReadModel {
  listProjects(ownerId: UserId): Promise<ProjectView[]>;
  findProject(ownerId: UserId, projectId: number): Promise<ProjectView | undefined>;
  /** The project's tasks by number, or undefined when the project is not the owner's. */
  listTasks(ownerId: UserId, projectId: number): Promise<Json<TaskView[]> | undefined>;
  /** Undefined when the project is not the owner's; `task` undefined when it has no such task. */
  findTask(
    ownerId: UserId,
    projectId: number,
    taskNumber: number,
  ): Promise<{ task: TaskView | undefined } | undefined>;
  /** Id and name of each of the owner's projects, for `GET /users/me`. */
  listProjectSummaries(ownerId: UserId): Promise<Json<ProjectSummary[]>>;
}

export interface ProjectSummary {
  id: number;
  name: string;
}

export async function getProject(
  readModel: ProjectReadModel,
  ownerId: UserId,
  projectId: number,
): Promise<ProjectView> {
  const project = await readModel.findProject(ownerId, projectId);
  if (!project) throw new ProjectNotFound(projectId);
  return project;
}

export async function listTasks(
  readModel: ProjectReadModel,
  ownerId: UserId,
  projectId: number,
): Promise<Json<TaskView[]>> {
  const tasks = await readModel.listTasks(ownerId, projectId);
  if (!tasks) throw new ProjectNotFound(projectId);
  return tasks;
}

export async function getTask(
  readModel: ProjectReadModel,
  ownerId: UserId,
  projectId: number,
  taskNumber: number,
): Promise<TaskView> {
  const found = await readModel.findTask(ownerId, projectId, taskNumber);
  if (!found) throw new ProjectNotFound(projectId);
  if (!found.task) throw new TaskNotFound(taskNumber);
  return found.task;
}
