import { DomainError } from '../../building-blocks/domain/domain-error.ts';

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

export class UserNotFound extends DomainError {
  readonly code = 'user-not-found';
  readonly kind = 'not-found';

  constructor() {
    super('The user does not exist.');
  }
}
