import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectsUnitOfWork } from '../ports.ts';

export interface DeleteProjectsOfOwner {
  ownerId: UserId;
}

export const DeleteProjectsOfOwner = commandType<DeleteProjectsOfOwner>(
  'projects.DeleteProjectsOfOwner',
);

/**
 * The owner's account is gone: their projects and tasks go too, for good (unlike a project
 * its owner deletes, nothing of it is kept). Running it twice changes nothing more.
 */
export async function deleteProjectsOfOwner(
  command: DeleteProjectsOfOwner,
  { uow }: { uow: ProjectsUnitOfWork },
): Promise<void> {
  await uow.run(({ projects }) => projects.removeAllOwnedBy(command.ownerId));
}
