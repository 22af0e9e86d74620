import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { ProjectNotFound } from '../../domain/errors.ts';
import { isProjectId, type Project } from '../../domain/project.ts';
import type { ProjectRepository } from '../ports.ts';

/** Every command on an existing project names it and says who is acting. */
export interface ProjectCommand {
  actor: UserId;
  projectId: number;
}

/** The actor's project, or `ProjectNotFound`: never a hint that someone else's exists. */
export async function loadOwnedProject(
  projects: ProjectRepository,
  { actor, projectId }: ProjectCommand,
  options: { withTask?: number } = {},
): Promise<Project> {
  const project = isProjectId(projectId)
    ? await projects.findOwned(projectId, actor, options)
    : undefined;
  if (!project) throw new ProjectNotFound(projectId);
  return project;
}
