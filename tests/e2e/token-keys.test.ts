import { generateKeyPairSync, sign } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ServerProcess } from '../support/server-process.ts';
import { type FreshDatabase, freshDatabase } from '../support/test-database.ts';

const pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

/**
 * EdDSA access tokens (ADR 23), from outside: the service in production with an Ed25519 key and
 * no shared secret, and another service that verifies its tokens with the published keys.
 */
describe('access tokens signed with an Ed25519 key', () => {
  let database: FreshDatabase;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    database = await freshDatabase();
    server = await ServerProcess.start({
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_PRIVATE_KEY: pem(),
    });
    await server.ready();
    const credentials = { email: 'keys@example.com', password: 'a long enough password' };
    const json = { 'content-type': 'application/json' };
    await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(credentials),
    });
    const login = await fetch(`${server.url}/api/users/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(credentials),
    });
    token = ((await login.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test('the token is EdDSA and works on the API', async () => {
    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
    const me = await fetch(`${server.url}/api/users/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
  });

  test('another service verifies it with /.well-known/jwks.json, which verifiers may cache', async () => {
    const keys = await fetch(`${server.url}/.well-known/jwks.json`);
    expect(keys.headers.get('cache-control')).toBe('public, max-age=300');
    const body = (await keys.json()) as { keys: Record<string, string>[] };
    expect(body.keys).toEqual([
      expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' }),
    ]);

    const verifier = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(token, verifier, {
      issuer: 'taskflow',
      audience: 'taskflow-api',
    });
    expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a token signed with another Ed25519 key under the same key id is refused', async () => {
    const [header, payload] = token.split('.');
    const { privateKey } = generateKeyPairSync('ed25519');
    const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey);
    const forged = `${header}.${payload}.${signature.toString('base64url')}`;

    const me = await fetch(`${server.url}/api/users/me`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(me.status).toBe(401);
  });
});

test('with HS256 tokens the key set is empty: a shared secret is never published', async () => {
  const database = await freshDatabase();
  const server = await ServerProcess.start({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    JWT_SECRET: 'token-keys-test-secret-0123456789-abcdefghijklmnop',
  });
  try {
    await server.ready();
    const keys = await fetch(`${server.url}/.well-known/jwks.json`);
    expect(keys.status).toBe(200);
    expect(await keys.json()).toEqual({ keys: [] });
  } finally {
    await server.stop();
    await database.drop();
  }
});
