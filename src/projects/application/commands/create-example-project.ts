import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { exampleProject } from '../../domain/example-project.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type ProjectView, projectView } from '../views.ts';

export interface CreateExampleProject {
  ownerId: UserId;
  /** When the owner registered: "Sign up!" was completed then. */
  registeredAt: Date;
}

export const CreateExampleProject = commandType<CreateExampleProject, ProjectView | undefined>(
  'projects.CreateExampleProject',
);

/**
 * The starter project: one per owner, however many times their registration is announced;
 * none for an owner whose account was deleted before it was made.
 */
export async function createExampleProject(
  command: CreateExampleProject,
  { uow }: { uow: ProjectsUnitOfWork },
): Promise<ProjectView | undefined> {
  return uow.run(async ({ projects, owners }) => {
    if (!(await owners.admit(command.ownerId))) return undefined;
    if (!(await owners.welcome(command.ownerId, command.registeredAt))) return undefined;
    const project = exampleProject({
      id: await projects.nextId(),
      ownerId: command.ownerId,
      registeredAt: command.registeredAt,
    });
    await projects.add(project);
    return projectView(project);
  });
}
