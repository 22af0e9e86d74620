import { ConcurrencyConflict } from '../../../building-blocks/application/concurrency-conflict.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { IncorrectPassword, UserNotFound } from '../../domain/errors.ts';
import { normalisePassword } from '../../domain/password.ts';
import type { User } from '../../domain/user.ts';
import type { AccountsUnitOfWork, PasswordHasher, UserRepository } from '../ports.ts';

/**
 * A sensitive change needs the current password, not only a token that may have been
 * stolen. Answers the version of the user that was checked; the hashing runs outside any
 * unit of work, so no transaction waits for it.
 */
export async function confirmPassword(
  userId: UserId,
  password: string,
  { uow, hasher }: { uow: AccountsUnitOfWork; hasher: PasswordHasher },
): Promise<number> {
  const user = await uow.run(({ users }) => users.findById(userId));
  if (!user) throw new UserNotFound();
  // Normalised as registration and login normalise it, or a password typed in another
  // Unicode form would not match its own hash.
  const matches = await hasher.verify(normalisePassword(password), user.passwordHash);
  if (!matches) throw new IncorrectPassword();
  return user.version;
}

/** The user as `confirmPassword` checked them; if they changed since, the bus runs it again. */
export async function confirmedUser(
  users: UserRepository,
  userId: UserId,
  version: number,
): Promise<User> {
  const user = await users.findById(userId);
  if (user?.version !== version) throw new ConcurrencyConflict('The user');
  return user;
}
