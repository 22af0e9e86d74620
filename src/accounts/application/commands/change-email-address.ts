import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { AccountGone } from '../../../building-blocks/application/not-authenticated.ts';
import { parseEmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { EmailAddressAlreadyTaken } from '../../domain/errors.ts';
import type { AccountsUnitOfWork } from '../ports.ts';

export interface ChangeEmailAddress {
  userId: UserId;
  email: string;
}

export const ChangeEmailAddress = commandType<ChangeEmailAddress>('accounts.ChangeEmailAddress');

export async function changeEmailAddress(
  command: ChangeEmailAddress,
  { uow }: { uow: AccountsUnitOfWork },
): Promise<void> {
  const email = parseEmailAddress(command.email);
  await uow.run(async ({ users }) => {
    const user = await users.findById(command.userId);
    if (!user) throw new AccountGone();
    if (user.email === email) return;
    const owner = await users.findByEmail(email);
    if (owner) throw new EmailAddressAlreadyTaken();
    user.changeEmail(email);
    await users.save(user);
  });
}
