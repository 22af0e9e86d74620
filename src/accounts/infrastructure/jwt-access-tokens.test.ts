import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  SignJWT,
} from 'jose';
import { describe, expect, test } from 'vitest';
import { FixedClock } from '../../building-blocks/application/testing/fixed-clock.ts';
import { NotAuthenticated } from '../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { AUDIENCE, ISSUER, JwtAccessTokens, keyIdOf, type PublicJwk } from './jwt-access-tokens.ts';

const secret = 'a-secret-that-is-long-enough-for-hs256-tokens-0123456789';
const caller = {
  userId: '00000000-0000-7000-8000-000000000001' as UserId,
  sessionId: '00000000-0000-7000-8000-0000000000aa',
};

/** A token signed with `key`, with claims a test chooses (the real ones unless overridden). */
async function forged(
  clock: FixedClock,
  {
    key = secret,
    kid = keyIdOf(key),
    claims = {},
    iss = ISSUER,
    aud = AUDIENCE,
    lifetimeSeconds = 60,
  }: {
    key?: string;
    /** null: no `kid` in the header. */
    kid?: string | null;
    claims?: Record<string, unknown>;
    iss?: string;
    aud?: string;
    lifetimeSeconds?: number;
  } = {},
) {
  const now = Math.floor(clock.now().getTime() / 1000);
  return new SignJWT({ sid: caller.sessionId, ...claims })
    .setProtectedHeader({ alg: 'HS256', ...(kid !== null && { kid }) })
    .setSubject(caller.userId)
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(new TextEncoder().encode(key));
}

describe('JwtAccessTokens', () => {
  const clock = new FixedClock();
  const tokens = new JwtAccessTokens({ secret, ttlSeconds: 60, clock });

  test('a token it issued identifies the user and the session', async () => {
    const { accessToken, expiresInSeconds } = await tokens.issue(caller);

    expect(expiresInSeconds).toBe(60);
    expect(await tokens.verify(accessToken)).toEqual(caller);
  });

  test('an expired token is refused, also after it was verified once', async () => {
    const ownClock = new FixedClock();
    const own = new JwtAccessTokens({ secret, ttlSeconds: 60, clock: ownClock });
    const { accessToken } = await own.issue(caller);
    await own.verify(accessToken);

    ownClock.advanceBy(61_000);

    await expect(own.verify(accessToken)).rejects.toThrow(NotAuthenticated);
  });

  test('a token signed with another secret is refused', async () => {
    const other = new JwtAccessTokens({ secret: `${secret}-other`, ttlSeconds: 60, clock });

    const { accessToken } = await other.issue(caller);

    await expect(tokens.verify(accessToken)).rejects.toThrow(NotAuthenticated);
  });

  test('after a key rotation, tokens of the previous key still work and new ones use the new key', async () => {
    const newSecret = `${secret}-rotated`;
    const before = await tokens.issue(caller);
    const rotated = new JwtAccessTokens({
      secret: newSecret,
      previousSecrets: [secret],
      ttlSeconds: 60,
      clock,
    });

    expect(await rotated.verify(before.accessToken)).toEqual(caller);
    const after = await rotated.issue(caller);
    expect(await rotated.verify(after.accessToken)).toEqual(caller);
    await expect(tokens.verify(after.accessToken)).rejects.toThrow(NotAuthenticated);
    const dropped = new JwtAccessTokens({ secret: newSecret, ttlSeconds: 60, clock });
    await expect(dropped.verify(before.accessToken)).rejects.toThrow(NotAuthenticated);
  });

  test('a token with a key id it does not know, or none, is refused', async () => {
    await expect(tokens.verify(await forged(clock, { kid: 'unknown' }))).rejects.toThrow(
      NotAuthenticated,
    );
    await expect(tokens.verify(await forged(clock, { kid: null }))).rejects.toThrow(
      NotAuthenticated,
    );
  });

  test('a token made with the real key but living longer than the maximum is refused', async () => {
    const thousandYears = 60 * 60 * 24 * 365 * 1000;

    expect(await tokens.verify(await forged(clock, { lifetimeSeconds: 60 }))).toEqual(caller);
    await expect(
      tokens.verify(await forged(clock, { lifetimeSeconds: thousandYears })),
    ).rejects.toThrow(NotAuthenticated);
    await expect(tokens.verify(await forged(clock, { lifetimeSeconds: 61 }))).rejects.toThrow(
      NotAuthenticated,
    );
  });

  test('a token of another issuer or for another audience is refused', async () => {
    await expect(tokens.verify(await forged(clock, { iss: 'someone-else' }))).rejects.toThrow(
      NotAuthenticated,
    );
    await expect(tokens.verify(await forged(clock, { aud: 'some-other-api' }))).rejects.toThrow(
      NotAuthenticated,
    );
  });

  test('a token without a session is refused', async () => {
    await expect(
      tokens.verify(await forged(clock, { claims: { sid: undefined } })),
    ).rejects.toThrow(NotAuthenticated);
  });

  test('a token whose session is not a session id (a UUID) is refused before any lookup', async () => {
    for (const sid of ['not-a-uuid', '', 'a\u0000b', 'x'.repeat(5_000), 42]) {
      await expect(tokens.verify(await forged(clock, { claims: { sid } }))).rejects.toThrow(
        NotAuthenticated,
      );
    }
  });

  test('an unsigned (alg: none) token is refused', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(clock.now().getTime() / 1000);
    const unsigned = `${encode({ alg: 'none', kid: keyIdOf(secret) })}.${encode({ sub: caller.userId, sid: caller.sessionId, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 60 })}.`;

    await expect(tokens.verify(unsigned)).rejects.toThrow(NotAuthenticated);
  });

  test('a token has one spelling: padding or another last character of the same bytes is refused', async () => {
    const { accessToken } = await tokens.issue(caller);
    // An HS256 signature is 32 bytes: 43 characters, whose last carries 2 bits that decode to
    // nothing, so 4 characters spell the same bytes.
    const last = accessToken.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = alphabet[alphabet.indexOf(last) ^ 1] as string;

    await expect(tokens.verify(`${accessToken}=`)).rejects.toThrow(NotAuthenticated);
    await expect(tokens.verify(accessToken.slice(0, -1) + sameBytes)).rejects.toThrow(
      NotAuthenticated,
    );
    expect(await tokens.verify(accessToken)).toEqual(caller);
  });
});

describe('JwtAccessTokens with an Ed25519 key (EdDSA)', () => {
  const clock = new FixedClock();
  const privateKey = generateKeyPairSync('ed25519').privateKey;
  const tokens = new JwtAccessTokens({ privateKey, ttlSeconds: 60, clock });
  const headerOf = (token: string) => decodeProtectedHeader(token);

  test('signs with EdDSA under the key thumbprint, and verifies what it signed', async () => {
    const { accessToken } = await tokens.issue(caller);
    const [jwk] = tokens.publicKeys();

    expect(headerOf(accessToken)).toMatchObject({ alg: 'EdDSA', kid: jwk?.kid });
    expect(jwk?.kid).toBe(await calculateJwkThumbprint(jwk as PublicJwk));
    // The public members only: never `d`, the private key.
    expect(Object.keys(jwk as PublicJwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    expect(await tokens.verify(accessToken)).toEqual(caller);
  });

  test('another service verifies its tokens with the published keys alone', async () => {
    const { accessToken } = await tokens.issue(caller);
    const published = createLocalJWKSet({ keys: [...tokens.publicKeys()] });

    const { payload } = await jwtVerify(accessToken, published, {
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: clock.now(),
    });
    expect(payload).toMatchObject({ sub: caller.userId, sid: caller.sessionId });
  });

  // Refused twice over: the key id maps to EdDSA only, and jose will not use an Ed25519 key
  // for HMAC.
  test('no HS256 token is accepted under an EdDSA key id, even signed with the public key', async () => {
    const [jwk] = tokens.publicKeys();
    const publicKeyBytes = new TextEncoder().encode(
      createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }) as string,
    );
    const confused = await new SignJWT({ sid: caller.sessionId })
      .setProtectedHeader({ alg: 'HS256', kid: jwk?.kid as string })
      .setSubject(caller.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(publicKeyBytes);

    await expect(tokens.verify(confused)).rejects.toBeInstanceOf(NotAuthenticated);
  });

  test('after a rotation, tokens of the previous key verify and both keys are published', async () => {
    const before = await tokens.issue(caller);
    const rotated = new JwtAccessTokens({
      privateKey: generateKeyPairSync('ed25519').privateKey,
      verificationKeys: [createPublicKey(privateKey)],
      ttlSeconds: 60,
      clock,
    });

    expect(await rotated.verify(before.accessToken)).toEqual(caller);
    expect(rotated.publicKeys().map((jwk) => jwk.kid)).toEqual([
      headerOf((await rotated.issue(caller)).accessToken).kid,
      headerOf(before.accessToken).kid,
    ]);
    const forgotten = new JwtAccessTokens({
      privateKey: generateKeyPairSync('ed25519').privateKey,
      ttlSeconds: 60,
      clock,
    });
    await expect(forgotten.verify(before.accessToken)).rejects.toBeInstanceOf(NotAuthenticated);
  });

  test('a key given twice is published once', () => {
    const twice = new JwtAccessTokens({
      privateKey,
      verificationKeys: [createPublicKey(privateKey), createPublicKey(privateKey)],
      ttlSeconds: 60,
      clock,
    });
    expect(twice.publicKeys()).toEqual(tokens.publicKeys());
  });

  test('moving from HS256 to EdDSA: tokens of the secret still verify, none is signed with it', async () => {
    const hs256 = await new JwtAccessTokens({ secret, ttlSeconds: 60, clock }).issue(caller);
    const both = new JwtAccessTokens({ secret, privateKey, ttlSeconds: 60, clock });

    expect(await both.verify(hs256.accessToken)).toEqual(caller);
    expect(headerOf((await both.issue(caller)).accessToken).alg).toBe('EdDSA');
    expect(new JwtAccessTokens({ secret, ttlSeconds: 60, clock }).publicKeys()).toEqual([]);
  });
});
