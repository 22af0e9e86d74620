import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type ProjectView, projectView } from '../views.ts';
import { loadOwnedProject, type ProjectCommand } from './owned-project.ts';

export type ArchiveProject = ProjectCommand;

export const ArchiveProject = commandType<ArchiveProject, ProjectView>('projects.ArchiveProject');

export async function archiveProject(
  command: ArchiveProject,
  { uow, clock }: { uow: ProjectsUnitOfWork; clock: Clock },
): Promise<ProjectView> {
  return uow.run(async ({ projects }) => {
    const project = await loadOwnedProject(projects, command);
    project.archive(clock.now());
    await projects.save(project);
    return projectView(project);
  });
}
