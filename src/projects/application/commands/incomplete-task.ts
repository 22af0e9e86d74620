import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type TaskView, taskView } from '../views.ts';
import { loadOwnedProject, type ProjectCommand } from './owned-project.ts';

export interface IncompleteTask extends ProjectCommand {
  taskNumber: number;
}

export const IncompleteTask = commandType<IncompleteTask, TaskView>('projects.IncompleteTask');

export async function incompleteTask(
  command: IncompleteTask,
  { uow }: { uow: ProjectsUnitOfWork },
): Promise<TaskView> {
  return uow.run(async ({ projects }) => {
    const project = await loadOwnedProject(projects, command, { withTask: command.taskNumber });
    const task = project.incompleteTask(command.taskNumber);
    await projects.save(project);
    return taskView(task);
  });
}
