import { DomainError } from '../../building-blocks/domain/domain-error.ts';
import type { UserId } from '../domain/user-id.ts';

/**
 * The contract by which a context learns who is calling. `accounts` implements it;
 * the composition root hands it to every context that needs it.
 */
export interface Authenticator {
  /** The id of the user an access token belongs to; throws `NotAuthenticated` otherwise. */
  authenticate(accessToken: string): Promise<UserId>;
  /**
   * The answer `authenticate` would give, when it can be given without waiting: the token
   * was verified recently and its user is known to exist. `undefined` means "ask
   * `authenticate`", never "refused". Every authenticated request asks this first.
   */
  recognise(accessToken: string): UserId | undefined;
}

export class NotAuthenticated extends DomainError {
  readonly code = 'not-authenticated';
  readonly kind = 'unauthenticated';

  constructor(reason = 'A valid access token is required.') {
    super(reason);
  }
}
