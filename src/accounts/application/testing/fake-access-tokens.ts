import { NotAuthenticated } from '../../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { AccessToken, AccessTokens } from '../ports.ts';

/** Tokens that are just `token:<user id>`; like the real ones, they recognise what they verified. */
export class FakeAccessTokens implements AccessTokens {
  readonly #verified = new Map<string, UserId>();

  async issue(userId: UserId): Promise<AccessToken> {
    return { accessToken: `token:${userId}`, expiresInSeconds: 3600 };
  }

  async verify(token: string): Promise<UserId> {
    if (!token.startsWith('token:')) throw new NotAuthenticated();
    const userId = token.slice('token:'.length) as UserId;
    this.#verified.set(token, userId);
    return userId;
  }

  recognise(token: string): UserId | undefined {
    return this.#verified.get(token);
  }
}
