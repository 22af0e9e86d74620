import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { ProjectNotFound, TaskNotFound } from '../../domain/errors.ts';
import type { TaskView } from '../views.ts';
import type { ProjectReadModel } from './project-read-model.ts';

export interface GetTask {
  actor: UserId;
  projectId: number;
  taskNumber: number;
}

/** One task of one of the actor's projects; `ProjectNotFound` or `TaskNotFound` if missing. */
export async function getTask(
  query: GetTask,
  { readModel }: { readModel: ProjectReadModel },
): Promise<TaskView> {
  const found = await readModel.findTask(query.actor, query.projectId, query.taskNumber);
  if (!found) throw new ProjectNotFound(query.projectId);
  if (!found.task) throw new TaskNotFound(query.taskNumber);
  return found.task;
}
