import type { Clock } from '../../../building-blocks/application/clock.ts';
import type { IdempotencyClaim } from '../../../building-blocks/application/idempotency.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { parseTaskName } from '../../domain/names.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type TaskView, taskView } from '../views.ts';
import { loadOwnedProject, type ProjectCommand } from './owned-project.ts';

export interface CreateTask extends ProjectCommand {
  name: string;
  /** From `Idempotency-Key`: the answer is stored with the task, in one transaction. */
  idempotency?: IdempotencyClaim;
}

export const CreateTask = commandType<CreateTask, TaskView>('projects.CreateTask');

export async function createTask(
  command: CreateTask,
  { uow, clock }: { uow: ProjectsUnitOfWork; clock: Clock },
): Promise<TaskView> {
  const name = parseTaskName(command.name);
  return uow.run(async ({ projects, idempotency }) => {
    const project = await loadOwnedProject(projects, command);
    const task = project.addTask(name, clock.now());
    await projects.save(project);
    const view = taskView(task);
    if (command.idempotency) await idempotency.complete(command.idempotency, view);
    return view;
  });
}
