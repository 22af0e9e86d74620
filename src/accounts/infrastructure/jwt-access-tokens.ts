import { createHash } from 'node:crypto';
import { type JWTHeaderParameters, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../building-blocks/application/clock.ts';
import { type Caller, NotAuthenticated } from '../../shared-kernel/application/authenticator.ts';
import { parseUserId } from '../../shared-kernel/domain/user-id.ts';
import type { AccessToken, AccessTokens } from '../application/ports.ts';

const ALGORITHM = 'HS256';
export const ISSUER = 'taskflow';
export const AUDIENCE = 'taskflow-api';
/** How far a token's `iat` may lie in the future (another instance's clock running ahead). */
const CLOCK_SKEW_SECONDS = 30;

const VERIFIED_CACHE_SIZE = 10_000;

export interface JwtAccessTokensOptions {
  /** Signs new tokens and verifies them. */
  secret: string;
  /** Verify tokens signed before a key rotation, until they expire; sign nothing. */
  previousSecrets?: readonly string[];
  /** The lifetime given to new tokens, and the longest one accepted. */
  ttlSeconds: number;
  clock: Clock;
}

/** A key's id: a short digest of it, so the id names the key without revealing it. */
export function keyIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 16);
}

/**
 * HS256 access tokens with `sub`, `sid` (the session), `iat`, `exp`, `iss`, `aud`, and the
 * signing key's id as `kid` in the header. Verification accepts only HS256 (no `alg: none`,
 * no algorithm confusion), a key it knows by its `kid` (the current one or a previous one:
 * rotating the secret logs nobody out), this service's issuer and audience, and a lifetime
 * (`exp - iat`) no longer than the configured one: a token minted with the key but a
 * far-off expiry is refused.
 *
 * A token that verified is remembered until its own expiry (at most 10,000 of them, oldest
 * forgotten first): a client sends the same token with every request, and checking the
 * signature again each time would be most of the cost of a read.
 */
export class JwtAccessTokens implements AccessTokens {
  readonly #signingKey: { id: string; key: Uint8Array };
  readonly #keys: Map<string, Uint8Array>;
  readonly #ttlSeconds: number;
  readonly #clock: Clock;
  readonly #verified = new Map<string, { caller: Caller; expiresAtMs: number }>();

  constructor(options: JwtAccessTokensOptions) {
    const encode = (secret: string) => new TextEncoder().encode(secret);
    this.#signingKey = { id: keyIdOf(options.secret), key: encode(options.secret) };
    this.#keys = new Map(
      [options.secret, ...(options.previousSecrets ?? [])].map((s) => [keyIdOf(s), encode(s)]),
    );
    this.#ttlSeconds = options.ttlSeconds;
    this.#clock = options.clock;
  }

  async issue(caller: Caller): Promise<AccessToken> {
    const now = Math.floor(this.#clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({ sid: caller.sessionId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: this.#signingKey.id })
      .setSubject(caller.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.#ttlSeconds)
      .sign(this.#signingKey.key);
    return { accessToken, expiresInSeconds: this.#ttlSeconds };
  }

  async verify(token: string): Promise<Caller> {
    const nowMs = this.#clock.now().getTime();
    const known = this.#verified.get(token);
    if (known !== undefined) {
      if (nowMs < known.expiresAtMs) return known.caller;
      this.#verified.delete(token);
    }

    let verified: { caller: Caller; expiresAtMs: number };
    try {
      const { payload } = await jwtVerify(token, (header) => this.#keyOf(header), {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'sid', 'iat', 'exp'],
        currentDate: new Date(nowMs),
      });
      const iat = payload.iat as number;
      const exp = payload.exp as number;
      if (exp - iat > this.#ttlSeconds || iat > nowMs / 1000 + CLOCK_SKEW_SECONDS) {
        throw new Error('lifetime out of bounds');
      }
      if (typeof payload.sid !== 'string') throw new Error('sid is not a string');
      verified = {
        caller: { userId: parseUserId(payload.sub as string), sessionId: payload.sid },
        expiresAtMs: exp * 1000,
      };
    } catch {
      throw new NotAuthenticated('The access token is invalid or has expired.');
    }
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
      this.#verified.delete(this.#verified.keys().next().value as string);
    }
    this.#verified.set(token, verified);
    return verified.caller;
  }

  #keyOf(header: JWTHeaderParameters): Uint8Array {
    const key = header.kid === undefined ? undefined : this.#keys.get(header.kid);
    if (!key) throw new Error('unknown key id');
    return key;
  }
}
