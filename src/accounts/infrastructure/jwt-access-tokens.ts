import {
  createHash,
  createPublicKey,
  createSecretKey,
  type KeyObject,
  type webcrypto,
} from 'node:crypto';
import { type JWTHeaderParameters, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../building-blocks/application/clock.ts';
import { type Caller, NotAuthenticated } from '../../shared-kernel/application/authenticator.ts';
import { parseUserId } from '../../shared-kernel/domain/user-id.ts';
import { isUuid } from '../../shared-kernel/domain/uuid.ts';
import type { AccessToken, AccessTokens } from '../application/ports.ts';

type Algorithm = 'HS256' | 'EdDSA';
const ALGORITHMS: Algorithm[] = ['HS256', 'EdDSA'];
export const ISSUER = 'taskflow';
export const AUDIENCE = 'taskflow-api';
/** How far a token's `iat` may lie in the future (another instance's clock running ahead). */
const CLOCK_SKEW_SECONDS = 30;

const VERIFIED_CACHE_SIZE = 10_000;

export interface JwtAccessTokensOptions {
  /** HS256: signs new tokens (unless `privateKey` is given) and verifies them. */
  secret?: string | undefined;
  /** Verify tokens signed before a key rotation, until they expire; sign nothing. */
  previousSecrets?: readonly string[];
  /** EdDSA (Ed25519): signs new tokens instead of the secret; its public key is published. */
  privateKey?: KeyObject | undefined;
  /** More Ed25519 public keys that verify tokens and are published (the next key, the last). */
  verificationKeys?: readonly KeyObject[];
  /** The lifetime given to new tokens, and the longest one accepted. */
  ttlSeconds: number;
  clock: Clock;
}

/** A key that verifies tokens of one algorithm only: no algorithm confusion. */
interface VerificationKey {
  alg: Algorithm;
  key: webcrypto.CryptoKey | KeyObject;
}

/**
 * An HS256 secret as a Web Crypto key, made once: given its bytes, jose would import them
 * again for every token it signs or checks (a tenth of a login's own work, profiled).
 */
function hmacKeyOf(secret: string): webcrypto.CryptoKey {
  return createSecretKey(secret, 'utf8').toCryptoKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/** A public key as a JSON Web Key (RFC 8037), as `/.well-known/jwks.json` publishes it. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** A key's id: a short digest of it, so the id names the key without revealing it. */
export function keyIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 16);
}

/** An Ed25519 public key as a JWK, its id the key's thumbprint (RFC 7638). */
function publicJwkOf(publicKey: KeyObject): PublicJwk {
  const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
  // The thumbprint hashes the required members, in this order, with no white space.
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url');
  return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
}

/**
 * Access tokens with `sub`, `sid` (the session), `iat`, `exp`, `iss`, `aud`, and the signing
 * key's id as `kid` in the header, signed with HS256 (a secret the service keeps) or, when an
 * Ed25519 private key is configured, EdDSA (ADR 23: other services verify them with the public
 * keys of `publicKeys`, published at `/.well-known/jwks.json`). Verification accepts only a key
 * it knows by its `kid` (the current one or a previous one: rotating a key logs nobody out),
 * with the one algorithm that key is for (no `alg: none`, no algorithm confusion), this
 * service's issuer and audience, and a lifetime (`exp - iat`) no longer than the configured
 * one: a token minted with the key but a far-off expiry is refused.
 *
 * A token that verified is remembered until its own expiry (at most 10,000 of them, oldest
 * forgotten first): a client sends the same token with every request, and checking the
 * signature again each time would be most of the cost of a read.
 */
export class JwtAccessTokens implements AccessTokens {
  readonly #signing: { id: string; alg: Algorithm; key: webcrypto.CryptoKey | KeyObject };
  readonly #keys = new Map<string, VerificationKey>();
  readonly #publicKeys: PublicJwk[] = [];
  readonly #ttlSeconds: number;
  readonly #clock: Clock;
  readonly #verified = new Map<string, { caller: Caller; expiresAtMs: number }>();

  constructor(options: JwtAccessTokensOptions) {
    const secrets = [options.secret, ...(options.previousSecrets ?? [])].filter(
      (secret) => secret !== undefined,
    );
    for (const secret of secrets) {
      this.#keys.set(keyIdOf(secret), { alg: 'HS256', key: hmacKeyOf(secret) });
    }
    const signingKey = options.privateKey && createPublicKey(options.privateKey);
    for (const key of [signingKey ?? [], options.verificationKeys ?? []].flat()) {
      const jwk = publicJwkOf(key);
      if (this.#keys.has(jwk.kid)) continue; // the same key given twice: published once
      this.#publicKeys.push(jwk);
      this.#keys.set(jwk.kid, { alg: 'EdDSA', key });
    }
    if (options.privateKey && signingKey) {
      const id = publicJwkOf(signingKey).kid;
      this.#signing = { id, alg: 'EdDSA', key: options.privateKey };
    } else if (options.secret) {
      const id = keyIdOf(options.secret);
      this.#signing = { id, ...(this.#keys.get(id) as VerificationKey) };
    } else {
      throw new Error('Access tokens need a secret or a private key to sign with.');
    }
    this.#ttlSeconds = options.ttlSeconds;
    this.#clock = options.clock;
  }

  /** The public keys that verify this service's EdDSA tokens; none with HS256 alone. */
  publicKeys(): readonly PublicJwk[] {
    return this.#publicKeys;
  }

  async issue(caller: Caller): Promise<AccessToken> {
    const now = Math.floor(this.#clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({ sid: caller.sessionId })
      .setProtectedHeader({ alg: this.#signing.alg, typ: 'JWT', kid: this.#signing.id })
      .setSubject(caller.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.#ttlSeconds)
      .sign(this.#signing.key);
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
      if (!isCanonical(token)) throw new Error('not in its one canonical spelling');
      const { payload } = await jwtVerify(token, (header) => this.#verificationKey(header), {
        algorithms: ALGORITHMS,
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
      // A session id as this service makes them: anything else names no session (and would
      // reach the database as a value its column cannot hold).
      if (typeof payload.sid !== 'string' || !isUuid(payload.sid)) {
        throw new Error('sid is not a session id');
      }
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

  #verificationKey(header: JWTHeaderParameters): webcrypto.CryptoKey | KeyObject {
    const known = header.kid === undefined ? undefined : this.#keys.get(header.kid);
    if (!known || known.alg !== header.alg) throw new Error('unknown key id');
    return known.key;
  }
}

/** Three parts of base64url without padding, as a signer writes them. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Whether the token is spelled the one way its bytes are: jose also reads padding and a last
 * character whose unused bits are set, so a token would otherwise have several spellings, each
 * accepted (and each its own entry in the cache of verified tokens).
 */
function isCanonical(token: string): boolean {
  return (
    COMPACT_JWS.test(token) &&
    token.split('.').every((part) => Buffer.from(part, 'base64url').toString('base64url') === part)
  );
}
