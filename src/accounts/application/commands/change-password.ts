import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import {
  type CommonPasswords,
  ensurePasswordIsNotCommon,
  parsePassword,
} from '../../domain/password.ts';
import type { SessionId } from '../../domain/session.ts';
import type { LoginThrottle } from '../login-throttle.ts';
import type { AccountsUnitOfWork, PasswordHasher } from '../ports.ts';
import { confirmedUser, confirmPassword } from './confirmed-user.ts';

export interface ChangePassword {
  userId: UserId;
  /** The session the change is made from: it stays; every other one ends. */
  sessionId: string;
  currentPassword: string;
  newPassword: string;
}

export const ChangePassword = commandType<ChangePassword>('accounts.ChangePassword');

/**
 * A new password ends every other session at once: whoever may have learnt the old one is
 * logged out everywhere, the person changing it is not.
 */
export async function changePassword(
  command: ChangePassword,
  deps: {
    uow: AccountsUnitOfWork;
    hasher: PasswordHasher;
    clock: Clock;
    commonPasswords: CommonPasswords;
    throttle: LoginThrottle;
  },
): Promise<void> {
  const newPassword = parsePassword(command.newPassword);
  ensurePasswordIsNotCommon(newPassword, deps.commonPasswords);
  const version = await confirmPassword(command.userId, command.currentPassword, deps);
  const newHash = await deps.hasher.hash(newPassword);
  await deps.uow.run(async ({ users, sessions }) => {
    const user = await confirmedUser(users, command.userId, version);
    user.changePassword(newHash);
    await users.save(user);
    await sessions.revokeAllOf(user.id, deps.clock.now(), {
      except: command.sessionId as SessionId,
    });
  });
}
