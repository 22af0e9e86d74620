import type { Clock } from '../../../building-blocks/application/clock.ts';
import type { IdGenerator } from '../../../building-blocks/application/id-generator.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import { parseEmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import { parseUserId } from '../../../shared-kernel/domain/user-id.ts';
import { EmailAddressAlreadyTaken } from '../../domain/errors.ts';
import {
  type CommonPasswords,
  ensurePasswordIsNotCommon,
  parsePassword,
} from '../../domain/password.ts';
import { User } from '../../domain/user.ts';
import type { AccountsUnitOfWork, PasswordHasher } from '../ports.ts';

export interface RegisterUser {
  email: string;
  password: string;
}

export interface RegisteredUser {
  id: string;
  email: string;
}

export const RegisterUser = commandType<RegisterUser, RegisteredUser>('accounts.RegisterUser');

export interface RegisterUserDeps {
  uow: AccountsUnitOfWork;
  hasher: PasswordHasher;
  clock: Clock;
  ids: IdGenerator;
  commonPasswords: CommonPasswords;
}

export async function registerUser(
  command: RegisterUser,
  { uow, hasher, clock, ids, commonPasswords }: RegisterUserDeps,
): Promise<RegisteredUser> {
  const email = parseEmailAddress(command.email);
  const password = parsePassword(command.password);
  ensurePasswordIsNotCommon(password, commonPasswords);
  // Hash before the transaction opens: it is the slow part and needs no lock.
  const passwordHash = await hasher.hash(password);

  return uow.run(async ({ users }) => {
    if (await users.findByEmail(email)) throw new EmailAddressAlreadyTaken();
    const user = User.register({
      id: parseUserId(ids.next()),
      email,
      passwordHash,
      now: clock.now(),
    });
    await users.add(user);
    return { id: user.id, email: user.email };
  });
}
