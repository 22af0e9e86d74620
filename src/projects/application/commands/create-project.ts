import type { Clock } from '../../../building-blocks/application/clock.ts';
import type { IdempotencyClaim } from '../../../building-blocks/application/idempotency.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { AccountGone } from '../../../building-blocks/application/not-authenticated.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { parseProjectName } from '../../domain/names.ts';
import { Project } from '../../domain/project.ts';
import { parseTaskLimit } from '../../domain/task-limit.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';
import { type ProjectView, projectView } from '../views.ts';

export interface CreateProject {
  actor: UserId;
  name: string;
  maximumNumberOfIncompleteTasks?: number | null;
  /** From `Idempotency-Key`: the answer is stored with the project, in one transaction. */
  idempotency?: IdempotencyClaim;
}

export const CreateProject = commandType<CreateProject, ProjectView>('projects.CreateProject');

export async function createProject(
  command: CreateProject,
  { uow, clock }: { uow: ProjectsUnitOfWork; clock: Clock },
): Promise<ProjectView> {
  const name = parseProjectName(command.name);
  const limit = parseTaskLimit(command.maximumNumberOfIncompleteTasks ?? null);
  return uow.run(async ({ projects, owners, idempotency }) => {
    // The account may have been deleted since the request was authenticated.
    if (!(await owners.admit(command.actor))) throw new AccountGone();
    const project = Project.create({
      id: await projects.nextId(),
      ownerId: command.actor,
      name,
      maximumNumberOfIncompleteTasks: limit,
      now: clock.now(),
    });
    await projects.add(project);
    const view = projectView(project);
    if (command.idempotency) await idempotency.complete(command.idempotency, view);
    return view;
  });
}
