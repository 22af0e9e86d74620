import { jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../building-blocks/application/clock.ts';
import { NotAuthenticated } from '../../shared-kernel/application/authenticator.ts';
import { parseUserId, type UserId } from '../../shared-kernel/domain/user-id.ts';
import type { AccessToken, AccessTokens } from '../application/ports.ts';

const ALGORITHM = 'HS256';
const ISSUER = 'taskflow';
const AUDIENCE = 'taskflow-api';

const VERIFIED_CACHE_SIZE = 10_000;

/**
 * HS256 access tokens with `sub`, `iat`, `exp`, `iss` and `aud`. Verification accepts only
 * HS256 (no `alg: none`, no algorithm confusion) and this service's issuer and audience.
 *
 * A token that verified is remembered until its own expiry (at most 10,000 of them, oldest
 * forgotten first): a client sends the same token with every request, and checking the
 * signature again each time would be most of the cost of a read.
 */
export class JwtAccessTokens implements AccessTokens {
  readonly #key: Uint8Array;
  readonly #ttlSeconds: number;
  readonly #clock: Clock;
  readonly #verified = new Map<string, { userId: UserId; expiresAtMs: number }>();

  constructor(options: { secret: string; ttlSeconds: number; clock: Clock }) {
    this.#key = new TextEncoder().encode(options.secret);
    this.#ttlSeconds = options.ttlSeconds;
    this.#clock = options.clock;
  }

  async issue(userId: UserId): Promise<AccessToken> {
    const now = Math.floor(this.#clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.#ttlSeconds)
      .sign(this.#key);
    return { accessToken, expiresInSeconds: this.#ttlSeconds };
  }

  recognise(token: string): UserId | undefined {
    const known = this.#verified.get(token);
    if (known === undefined) return undefined;
    if (this.#clock.now().getTime() < known.expiresAtMs) return known.userId;
    this.#verified.delete(token);
    return undefined;
  }

  async verify(token: string): Promise<UserId> {
    const known = this.recognise(token);
    if (known) return known;
    const now = this.#clock.now();

    let verified: { userId: UserId; expiresAtMs: number };
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
        currentDate: now,
      });
      verified = {
        userId: parseUserId(payload.sub as string),
        expiresAtMs: (payload.exp as number) * 1000,
      };
    } catch {
      throw new NotAuthenticated('The access token is invalid or has expired.');
    }
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
      this.#verified.delete(this.#verified.keys().next().value as string);
    }
    this.#verified.set(token, verified);
    return verified.userId;
  }
}
