import { NotAuthenticated } from '../../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { AccessToken, AccessTokens } from '../ports.ts';

/** Tokens that are just `token:<user id>`. */
export class FakeAccessTokens implements AccessTokens {
  async issue(userId: UserId): Promise<AccessToken> {
    return { accessToken: `token:${userId}`, expiresInSeconds: 3600 };
  }

  async verify(token: string): Promise<UserId> {
    if (!token.startsWith('token:')) throw new NotAuthenticated();
    return token.slice('token:'.length) as UserId;
  }

  recognise(): UserId | undefined {
    return undefined;
  }
}
