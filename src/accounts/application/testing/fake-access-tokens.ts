import { type Caller, NotAuthenticated } from '../../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { RefreshTokenHash } from '../../domain/session.ts';
import type { AccessToken, AccessTokens, RefreshTokens } from '../ports.ts';

/** Tokens that are just `token:<user id>:<session id>`. */
export class FakeAccessTokens implements AccessTokens {
  async issue(caller: Caller): Promise<AccessToken> {
    return { accessToken: `token:${caller.userId}:${caller.sessionId}`, expiresInSeconds: 900 };
  }

  async verify(token: string): Promise<Caller> {
    const [prefix, userId, sessionId] = token.split(':');
    if (prefix !== 'token' || !userId || !sessionId) throw new NotAuthenticated();
    return { userId: userId as UserId, sessionId };
  }
}

/** Refresh tokens `refresh-1`, `refresh-2`, ...; the hash is the token reversed. */
export class SequentialRefreshTokens implements RefreshTokens {
  #count = 0;

  generate() {
    this.#count++;
    const token = `refresh-${this.#count}`;
    return { token, hash: this.hashOf(token) };
  }

  hashOf(token: string): RefreshTokenHash {
    return [...token].reverse().join('') as RefreshTokenHash;
  }
}
