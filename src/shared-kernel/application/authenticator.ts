import type { UserId } from '../domain/user-id.ts';

export { NotAuthenticated } from '../../building-blocks/application/not-authenticated.ts';

/** Who sent a request: a user, within one of their sessions. */
export interface Caller {
  userId: UserId;
  sessionId: string;
}

/**
 * The contract by which a context learns who is calling. `accounts` implements it;
 * the composition root hands it to every context that needs it.
 */
export interface Authenticator {
  /**
   * The caller an access token belongs to, if its signature, issuer, audience and lifetime
   * are right and its session is still active now; throws `NotAuthenticated` otherwise.
   */
  authenticate(accessToken: string): Promise<Caller>;
}
