import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import type { UserAccountCreated } from '../../shared-kernel/domain/user-account-created.ts';
import type { UserAccountDeleted } from '../../shared-kernel/domain/user-account-deleted.ts';
import { parseUserId } from '../../shared-kernel/domain/user-id.ts';
import { CreateExampleProject } from './commands/create-example-project.ts';
import { DeleteProjectsOfOwner } from './commands/delete-projects-of-owner.ts';

/** A new user gets a starter project: `projects` reacts to `accounts` without knowing it. */
export function giveNewUserAnExampleProject(bus: MessageBus) {
  return async (event: UserAccountCreated): Promise<void> => {
    await bus.execute(CreateExampleProject, {
      ownerId: parseUserId(event.payload.userId),
      registeredAt: new Date(event.payload.occurredAt),
    });
  };
}

/** A deleted account's projects and tasks go with it. */
export function deleteProjectsOfDeletedUser(bus: MessageBus) {
  return async (event: UserAccountDeleted): Promise<void> => {
    await bus.execute(DeleteProjectsOfOwner, { ownerId: parseUserId(event.payload.userId) });
  };
}
