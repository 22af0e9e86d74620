import type { EmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { PasswordHash } from '../../domain/password.ts';

export interface UserView {
  id: string;
  email: string;
}

/** What logging in checks a password against. */
export interface Credentials {
  userId: UserId;
  passwordHash: PasswordHash;
}

/** Reads of the accounts tables that skip the aggregate (CQRS). */
export interface UserReadModel {
  findUser(id: UserId): Promise<UserView | undefined>;
  /** The credentials of the user with this email (emails are stored normalised). */
  findCredentials(email: EmailAddress): Promise<Credentials | undefined>;
}
