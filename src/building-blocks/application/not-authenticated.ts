import { DomainError } from '../domain/domain-error.ts';

/** The caller did not prove who they are: no token, a bad one, or one of an ended session. */
export class NotAuthenticated extends DomainError {
  readonly code = 'not-authenticated';
  readonly kind = 'unauthenticated';

  constructor(reason = 'A valid access token is required.') {
    super(reason);
  }
}

/**
 * The token was valid, but the account it was issued for was deleted while the request ran
 * (its session check passed just before): to the client, the same 401 as an ended session.
 */
export class AccountGone extends NotAuthenticated {
  constructor() {
    super('The account this request was made for has been deleted.');
  }
}
