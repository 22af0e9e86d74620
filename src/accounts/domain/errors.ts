import { DomainError } from '../../building-blocks/domain/domain-error.ts';
import { inSeconds } from '../../building-blocks/domain/in-seconds.ts';

export class EmailAddressAlreadyTaken extends DomainError {
  readonly code = 'email-already-taken';
  readonly kind = 'conflict';

  constructor() {
    super('An account with this email address already exists.');
  }
}

/** Deliberately the same for an unknown email and a wrong password. */
export class InvalidCredentials extends DomainError {
  readonly code = 'invalid-credentials';
  readonly kind = 'unauthenticated';

  constructor() {
    super('Invalid email or password');
  }
}

/** Unknown, expired, revoked or already used: the client must log in again. */
export class InvalidRefreshToken extends DomainError {
  readonly code = 'invalid-refresh-token';
  readonly kind = 'unauthenticated';
  /**
   * Set when the token had been used already, and its session was revoked for it (reuse
   * detection): for the log of the request that presented it. The answer says no more than
   * for any other invalid token.
   */
  readonly revokedSession: { sessionId: string; userId: string } | undefined;

  constructor(revokedSession?: { sessionId: string; userId: string }) {
    super('The refresh token is invalid, expired or already used: log in again.');
    this.revokedSession = revokedSession;
  }
}

export class SessionNotFound extends DomainError {
  readonly code = 'session-not-found';
  readonly kind = 'not-found';

  constructor() {
    super('You have no active session with this id.');
  }
}

/**
 * The account's password was guessed wrong too often, at login or when confirming a change:
 * no attempt is checked until `retryAfterSeconds` have passed.
 */
export class TooManyLoginAttempts extends DomainError {
  readonly code = 'too-many-login-attempts';
  readonly kind = 'throttled';
  override readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(
      `Too many wrong passwords for this account. Try again in ${inSeconds(retryAfterSeconds)}.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A logged-in person confirming a sensitive change typed the wrong password. */
export class IncorrectPassword extends DomainError {
  readonly code = 'incorrect-password';
  readonly kind = 'forbidden';

  constructor() {
    super('The current password is not correct.');
  }
}
