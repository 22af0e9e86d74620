import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { LoginThrottle } from '../login-throttle.ts';
import type { AccountsUnitOfWork, PasswordHasher } from '../ports.ts';
import { confirmedUser, confirmPassword } from './confirmed-user.ts';

export interface DeleteAccount {
  userId: UserId;
  password: string;
}

export const DeleteAccount = commandType<DeleteAccount>('accounts.DeleteAccount');

/**
 * Deletes the user and every session of theirs in one transaction (so their tokens stop
 * working at once, in every process), then announces `UserAccountDeleted` for the other
 * contexts to delete what the person owned there.
 */
export async function deleteAccount(
  command: DeleteAccount,
  deps: { uow: AccountsUnitOfWork; hasher: PasswordHasher; clock: Clock; throttle: LoginThrottle },
): Promise<void> {
  const version = await confirmPassword(command.userId, command.password, deps);
  await deps.uow.run(async ({ users, sessions }) => {
    const user = await confirmedUser(users, command.userId, version);
    user.delete(deps.clock.now());
    // The user first: that waits for a login holding them (`UserRepository.hold`), so the
    // session it adds is there to be removed next.
    await users.remove(user);
    await sessions.removeAllOf(user.id);
  });
}
