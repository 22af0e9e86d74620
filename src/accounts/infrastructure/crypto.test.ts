import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { FixedClock } from '../../building-blocks/application/testing/fixed-clock.ts';
import { uuidV7 } from '../../building-blocks/infrastructure/uuid-v7.ts';
import { NotAuthenticated } from '../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { Password, PasswordHash } from '../domain/password.ts';
import { Argon2PasswordHasher } from './argon2-password-hasher.ts';
import { JwtAccessTokens } from './jwt-access-tokens.ts';

const fast = new Argon2PasswordHasher({ memory: 1024, passes: 2, parallelism: 1 });
const password = 'correct horse' as Password;

describe('Argon2PasswordHasher', () => {
  test('uses Argon2id with OWASP parameters by default, in a PHC string', async () => {
    const hash = await new Argon2PasswordHasher().hash(password);

    expect(hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
  });

  test('verifies the right password and refuses a wrong one', async () => {
    const hash = await fast.hash(password);

    expect(await fast.verify('correct horse', hash)).toBe(true);
    expect(await fast.verify('correct horsE', hash)).toBe(false);
  });

  test('salts every hash', async () => {
    expect(await fast.hash(password)).not.toBe(await fast.hash(password));
  });

  test('without a hash (unknown user) it answers false', async () => {
    expect(await fast.verify('correct horse', undefined)).toBe(false);
  });

  test('a damaged hash is a "no", never an exception', async () => {
    const hash = await fast.hash(password);

    for (const broken of ['', 'plain', hash.slice(0, -5), hash.replace('argon2id', 'argon2i')]) {
      expect(await fast.verify('correct horse', broken as PasswordHash)).toBe(false);
    }
  });
});

describe('JwtAccessTokens', () => {
  const secret = 'a-secret-that-is-long-enough-for-hs256-tokens-0123456789';
  const userId = '00000000-0000-7000-8000-000000000001' as UserId;

  test('a token it issued identifies the user', async () => {
    const tokens = new JwtAccessTokens({ secret, ttlSeconds: 60, clock: new FixedClock() });

    const { accessToken, expiresInSeconds } = await tokens.issue(userId);

    expect(expiresInSeconds).toBe(60);
    expect(await tokens.verify(accessToken)).toBe(userId);
  });

  test('recognises, without waiting, a token it verified, until the token expires', async () => {
    const clock = new FixedClock();
    const tokens = new JwtAccessTokens({ secret, ttlSeconds: 60, clock });
    const { accessToken } = await tokens.issue(userId);

    expect(tokens.recognise(accessToken)).toBeUndefined();
    await tokens.verify(accessToken);
    expect(tokens.recognise(accessToken)).toBe(userId);

    clock.advanceBy(61_000);
    expect(tokens.recognise(accessToken)).toBeUndefined();
  });

  test('an expired token is refused, also after it was verified once', async () => {
    const clock = new FixedClock();
    const tokens = new JwtAccessTokens({ secret, ttlSeconds: 60, clock });
    const { accessToken } = await tokens.issue(userId);
    await tokens.verify(accessToken);

    clock.advanceBy(61_000);

    await expect(tokens.verify(accessToken)).rejects.toThrow(NotAuthenticated);
  });

  test('a token signed with another secret is refused', async () => {
    const clock = new FixedClock();
    const other = new JwtAccessTokens({ secret: `${secret}-other`, ttlSeconds: 60, clock });
    const tokens = new JwtAccessTokens({ secret, ttlSeconds: 60, clock });

    const { accessToken } = await other.issue(userId);

    await expect(tokens.verify(accessToken)).rejects.toThrow(NotAuthenticated);
  });

  test('an unsigned (alg: none) token is refused', async () => {
    const tokens = new JwtAccessTokens({ secret, ttlSeconds: 60, clock: new FixedClock() });
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none' })}.${encode({ sub: userId, iss: 'taskflow', aud: 'taskflow-api', iat: 1767323045, exp: 1767326645 })}.`;

    await expect(tokens.verify(unsigned)).rejects.toThrow(NotAuthenticated);
  });

  test('a token for another audience is refused', async () => {
    const clock = new FixedClock();
    const tokens = new JwtAccessTokens({ secret, ttlSeconds: 60, clock });
    const now = Math.floor(clock.now().getTime() / 1000);
    const foreign = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer('taskflow')
      .setAudience('some-other-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode(secret));

    await expect(tokens.verify(foreign)).rejects.toThrow(NotAuthenticated);
  });
});

describe('uuidV7', () => {
  test('has version 7 and the RFC variant, and sorts by time', () => {
    const first = uuidV7(1_700_000_000_000);
    const second = uuidV7(1_700_000_000_001);

    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first < second).toBe(true);
  });
});
