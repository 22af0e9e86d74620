import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { parseProjectName } from '../../domain/names.ts';
import { parseTaskLimit } from '../../domain/task-limit.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type ProjectView, projectView } from '../views.ts';
import { loadOwnedProject, type ProjectCommand } from './owned-project.ts';

/** Fields left out stay as they are; `maximumNumberOfIncompleteTasks: null` removes the limit. */
export interface UpdateProject extends ProjectCommand {
  name?: string;
  maximumNumberOfIncompleteTasks?: number | null;
}

export const UpdateProject = commandType<UpdateProject, ProjectView>('projects.UpdateProject');

export async function updateProject(
  command: UpdateProject,
  { uow }: { uow: ProjectsUnitOfWork },
): Promise<ProjectView> {
  const name = command.name === undefined ? undefined : parseProjectName(command.name);
  const limit =
    command.maximumNumberOfIncompleteTasks === undefined
      ? undefined
      : parseTaskLimit(command.maximumNumberOfIncompleteTasks);
  return uow.run(async ({ projects }) => {
    const project = await loadOwnedProject(projects, command);
    if (name !== undefined) project.rename(name);
    if (limit !== undefined) project.changeMaximumNumberOfIncompleteTasks(limit);
    await projects.save(project);
    return projectView(project);
  });
}
