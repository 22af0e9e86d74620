import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type ProjectView, projectView } from '../views.ts';
import { loadOwnedProject, type ProjectCommand } from './owned-project.ts';

export type UnarchiveProject = ProjectCommand;

export const UnarchiveProject = commandType<UnarchiveProject, ProjectView>(
  'projects.UnarchiveProject',
);

export async function unarchiveProject(
  command: UnarchiveProject,
  { uow }: { uow: ProjectsUnitOfWork },
): Promise<ProjectView> {
  return uow.run(async ({ projects }) => {
    const project = await loadOwnedProject(projects, command);
    project.unarchive();
    await projects.save(project);
    return projectView(project);
  });
}
