import type { Clock } from '../../../building-blocks/application/clock.ts';
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
 * its owner deletes, nothing of it is kept), and none is added for them afterwards: the owner
 * is retired first, which waits for any project being created for them to commit, so the
 * removal sees it. The answers kept for their `Idempotency-Key`s go with them. Running it
 * twice changes nothing more.
 */
export async function deleteProjectsOfOwner(
  command: DeleteProjectsOfOwner,
  { uow, clock }: { uow: ProjectsUnitOfWork; clock: Clock },
): Promise<void> {
  await uow.run(async ({ projects, owners, idempotency }) => {
    await owners.retire(command.ownerId, clock.now());
    await projects.removeAllOwnedBy(command.ownerId);
    await idempotency.forgetAllOf(command.ownerId);
  });
}
