import { ConcurrencyConflict } from '../../../building-blocks/application/concurrency-conflict.ts';
import { AccountGone } from '../../../building-blocks/application/not-authenticated.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { IncorrectPassword, TooManyLoginAttempts } from '../../domain/errors.ts';
import { normalisePassword } from '../../domain/password.ts';
import type { User } from '../../domain/user.ts';
import type { LoginThrottle } from '../login-throttle.ts';
import type { AccountsUnitOfWork, PasswordHasher, UserRepository } from '../ports.ts';

/**
 * A sensitive change needs the current password, not only a token that may have been
 * stolen. Answers the version of the user that was checked; the hashing runs outside any
 * unit of work, so no transaction waits for it.
 *
 * Each check counts as a login attempt on the account (the login throttle's count): a token
 * is no way around the throttle for someone guessing the password.
 */
export async function confirmPassword(
  userId: UserId,
  password: string,
  {
    uow,
    hasher,
    throttle,
  }: { uow: AccountsUnitOfWork; hasher: PasswordHasher; throttle: LoginThrottle },
): Promise<number> {
  const user = await uow.run(({ users }) => users.findById(userId));
  if (!user) throw new AccountGone();
  const admission = await throttle.admit(user.email);
  if (!admission.admitted) throw new TooManyLoginAttempts(admission.retryAfterSeconds);
  // Normalised as registration and login normalise it, or a password typed in another
  // Unicode form would not match its own hash.
  const matches = await hasher.verify(normalisePassword(password), user.passwordHash);
  if (!matches) throw new IncorrectPassword();
  await throttle.succeeded(user.email);
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
