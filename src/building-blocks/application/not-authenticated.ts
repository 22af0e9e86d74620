import { DomainError } from '../domain/domain-error.ts';

/** The caller did not prove who they are: no token, a bad one, or one of an ended session. */
export class NotAuthenticated extends DomainError {
  readonly code = 'not-authenticated';
  readonly kind = 'unauthenticated';

  constructor(reason = 'A valid access token is required.') {
    super(reason);
  }
}
