import type { UnitOfWork } from '../../building-blocks/application/unit-of-work.ts';
import type { Caller } from '../../shared-kernel/application/authenticator.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { Password, PasswordHash } from '../domain/password.ts';
import type { RefreshTokenHash, Session, SessionId } from '../domain/session.ts';
import type { User } from '../domain/user.ts';

export interface UserRepository {
  findById(id: UserId): Promise<User | undefined>;
  findByEmail(email: EmailAddress): Promise<User | undefined>;
  /**
   * The user's current password hash (undefined when they are gone), the user kept from being
   * deleted or changed until the unit of work ends (a share lock on PostgreSQL; SQLite runs
   * one write transaction at a time): a session added in the same unit cannot outlive a
   * deletion of the account, or a password change, that races it.
   */
  hold(id: UserId): Promise<PasswordHash | undefined>;
  /** Stores a new user; `EmailAddressAlreadyTaken` if the database already has the email. */
  add(user: User): Promise<void>;
  /** Stores changes; `ConcurrencyConflict` if the user changed since it was loaded. */
  save(user: User): Promise<void>;
  /** Deletes the user; `ConcurrencyConflict` if they changed since they were loaded. */
  remove(user: User): Promise<void>;
}

export interface SessionRepository {
  add(session: Session): Promise<void>;
  findById(id: SessionId): Promise<Session | undefined>;
  /**
   * The session a refresh token belongs to: `retired` when the token was already used for a
   * refresh (a copy presented again), else it is the session's current token.
   */
  findByRefreshToken(
    hash: RefreshTokenHash,
  ): Promise<{ session: Session; retired: boolean } | undefined>;
  /** Stores changes and keeps a retired hash; `ConcurrencyConflict` if it changed meanwhile. */
  save(session: Session): Promise<void>;
  /** Revokes every active session of the user, but `except` (the caller's own). */
  revokeAllOf(userId: UserId, now: Date, options?: { except?: SessionId }): Promise<void>;
  /** Deletes every session of the user and its retired tokens (the account is deleted). */
  removeAllOf(userId: UserId): Promise<void>;
}

export interface AccountsRepositories {
  users: UserRepository;
  sessions: SessionRepository;
}

export type AccountsUnitOfWork = UnitOfWork<AccountsRepositories>;

export interface PasswordHasher {
  hash(password: Password): Promise<PasswordHash>;
  /**
   * Whether `password` matches `hash`. Given no hash (unknown email) it does the same work
   * against a dummy hash and answers false, so the two failures take the same time. A
   * password holding half of a UTF-16 pair matches nothing.
   */
  verify(password: string, hash: PasswordHash | undefined): Promise<boolean>;
}

export interface AccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** What a login or a refresh answers. */
export interface TokenPair extends AccessToken {
  refreshToken: string;
}

export interface AccessTokens {
  /** A short-lived token naming the user and the session it belongs to. */
  issue(caller: Caller): Promise<AccessToken>;
  /**
   * The caller the token was issued to; throws `NotAuthenticated` unless its signature (by
   * the current or a previous key), issuer, audience and lifetime are right now. Says
   * nothing of the session: the authenticator checks that.
   */
  verify(token: string): Promise<Caller>;
}

/** Opaque refresh tokens: random, and stored only as a hash. */
export interface RefreshTokens {
  generate(): { token: string; hash: RefreshTokenHash };
  /** The hash of a presented token, to look it up; any string gives one. */
  hashOf(token: string): RefreshTokenHash;
}
