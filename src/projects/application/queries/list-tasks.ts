import type { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { ProjectNotFound } from '../../domain/errors.ts';
import type { TaskView } from '../views.ts';
import type { Page, PageRequest, ProjectReadModel, TaskStatus } from './project-read-model.ts';

export interface ListTasks extends PageRequest {
  actor: UserId;
  projectId: number;
  status?: TaskStatus;
}

/** A page of the tasks of one of the actor's projects, by number, or `ProjectNotFound`. */
export async function listTasks(
  { actor, projectId, ...page }: ListTasks,
  { readModel }: { readModel: ProjectReadModel },
): Promise<Page<Serialized<TaskView[]>>> {
  const tasks = await readModel.listTasks(actor, projectId, page);
  if (!tasks) throw new ProjectNotFound(projectId);
  return tasks;
}
