import type { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { ProjectNotFound } from '../../domain/errors.ts';
import type { TaskView } from '../views.ts';
import type { ProjectReadModel } from './project-read-model.ts';

export interface ListTasks {
  actor: UserId;
  projectId: number;
}

/** The tasks of one of the actor's projects, by number, or `ProjectNotFound`. */
export async function listTasks(
  query: ListTasks,
  { readModel }: { readModel: ProjectReadModel },
): Promise<Serialized<TaskView[]>> {
  const tasks = await readModel.listTasks(query.actor, query.projectId);
  if (!tasks) throw new ProjectNotFound(query.projectId);
  return tasks;
}
