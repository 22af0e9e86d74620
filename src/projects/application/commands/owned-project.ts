import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { ProjectNotFound } from '../../domain/errors.ts';
import { isProjectId, type Project } from '../../domain/project.ts';
import { checkIfMatch, type IfMatch, projectTag, taskTag } from '../entity-tags.ts';
import type { ProjectRepository } from '../ports.ts';
import { taskView } from '../views.ts';

/** Every command on an existing project names it and says who is acting. */
export interface ProjectCommand {
  actor: UserId;
  projectId: number;
  /**
   * From `If-Match`: the command runs only if the project (or, for a task command, the task)
   * still has one of these tags. Checked on the state loaded inside the command's transaction,
   * which the save's version check guards: no other command can slip in between.
   */
  ifMatch?: IfMatch;
}

/** The actor's project, or `ProjectNotFound`: never a hint that someone else's exists. */
export async function loadOwnedProject(
  projects: ProjectRepository,
  { actor, projectId, ifMatch }: ProjectCommand,
  options: { withTask?: number } = {},
): Promise<Project> {
  const project = isProjectId(projectId)
    ? await projects.findOwned(projectId, actor, options)
    : undefined;
  if (!project) throw new ProjectNotFound(projectId);
  if (ifMatch === undefined) return project;
  if (options.withTask === undefined) checkIfMatch(ifMatch, projectTag(project.version), 'project');
  else checkIfMatch(ifMatch, taskTag(taskView(project.task(options.withTask))), 'task');
  return project;
}
