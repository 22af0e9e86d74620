import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { AccountGone } from '../../../building-blocks/application/not-authenticated.ts';
import { parseEmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { EmailAddressAlreadyTaken } from '../../domain/errors.ts';
import type { LoginThrottle } from '../login-throttle.ts';
import type { AccountsUnitOfWork } from '../ports.ts';

export interface ChangeEmailAddress {
  userId: UserId;
  email: string;
}

export const ChangeEmailAddress = commandType<ChangeEmailAddress>('accounts.ChangeEmailAddress');

/**
 * Changes the account's email address, and moves the account's login count to the new
 * address once the change is committed (when the new address is certainly this account's:
 * moved sooner, a refused change to someone else's address would lock them out). A count
 * that cannot be moved (its store is down, when no password can be checked either) fails
 * the request after the change was made: the new address's count then starts from nothing.
 */
export async function changeEmailAddress(
  command: ChangeEmailAddress,
  { uow, throttle }: { uow: AccountsUnitOfWork; throttle: LoginThrottle },
): Promise<void> {
  const email = parseEmailAddress(command.email);
  const previous = await uow.run(async ({ users }) => {
    const user = await users.findById(command.userId);
    if (!user) throw new AccountGone();
    if (user.email === email) return undefined;
    const owner = await users.findByEmail(email);
    if (owner) throw new EmailAddressAlreadyTaken();
    const before = user.email;
    user.changeEmail(email);
    await users.save(user);
    return before;
  });
  if (previous !== undefined) await throttle.moved(previous, email);
}
