import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { loadOwnedProject, type ProjectCommand } from './owned-project.ts';

export type DeleteProject = ProjectCommand;

export const DeleteProject = commandType<DeleteProject>('projects.DeleteProject');

export async function deleteProject(
  command: DeleteProject,
  { uow, clock }: { uow: ProjectsUnitOfWork; clock: Clock },
): Promise<void> {
  await uow.run(async ({ projects }) => {
    const project = await loadOwnedProject(projects, command);
    project.delete(clock.now());
    await projects.save(project);
  });
}
