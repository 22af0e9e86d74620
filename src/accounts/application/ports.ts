import type { UnitOfWork } from '../../building-blocks/application/unit-of-work.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { Password, PasswordHash } from '../domain/password.ts';
import type { User } from '../domain/user.ts';

export interface UserRepository {
  findById(id: UserId): Promise<User | undefined>;
  findByEmail(email: EmailAddress): Promise<User | undefined>;
  /** Stores a new user; `EmailAddressAlreadyTaken` if the database already has the email. */
  add(user: User): Promise<void>;
  /** Stores changes; `ConcurrencyConflict` if the user changed since it was loaded. */
  save(user: User): Promise<void>;
}

export interface AccountsRepositories {
  users: UserRepository;
}

export type AccountsUnitOfWork = UnitOfWork<AccountsRepositories>;

export interface PasswordHasher {
  hash(password: Password): Promise<PasswordHash>;
  /**
   * Whether `password` matches `hash`. Given no hash (unknown email) it does the same work
   * against a dummy hash and answers false, so the two failures take the same time.
   */
  verify(password: string, hash: PasswordHash | undefined): Promise<boolean>;
}

export interface AccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface AccessTokens {
  issue(userId: UserId): Promise<AccessToken>;
  /** The user the token was issued to; throws `NotAuthenticated` if it is not valid now. */
  verify(token: string): Promise<UserId>;
  /** The user of a token `verify` accepted before and that is still valid; else undefined. */
  recognise(token: string): UserId | undefined;
}
