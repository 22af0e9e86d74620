import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type TaskView, taskView } from '../views.ts';
import { loadOwnedProject, type ProjectCommand } from './owned-project.ts';

export interface CompleteTask extends ProjectCommand {
  taskNumber: number;
}

export const CompleteTask = commandType<CompleteTask, TaskView>('projects.CompleteTask');

export async function completeTask(
  command: CompleteTask,
  { uow, clock }: { uow: ProjectsUnitOfWork; clock: Clock },
): Promise<TaskView> {
  return uow.run(async ({ projects }) => {
    const project = await loadOwnedProject(projects, command, { withTask: command.taskNumber });
    const task = project.completeTask(command.taskNumber, clock.now());
    await projects.save(project);
    return taskView(task);
  });
}
