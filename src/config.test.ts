import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const strong = 'x'.repeat(32);

describe('loadConfig', () => {
  test('has working defaults for development', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      env: 'development',
      port: 8000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/app.db',
      bodyLimitBytes: 65_536,
      runMigrationsOnStart: true,
      sqliteGroupCommit: true,
    });
  });

  test('SQLITE_GROUP_COMMIT=false gives each unit of work its own SQLite transaction', () => {
    expect(loadConfig({ SQLITE_GROUP_COMMIT: 'false' }).sqliteGroupCommit).toBe(false);
    expect(loadConfig({ SQLITE_GROUP_COMMIT: 'true' }).sqliteGroupCommit).toBe(true);
  });

  test('development without a secret makes one up, and says so', () => {
    const config = loadConfig({});

    expect(Buffer.byteLength(config.jwtSecret)).toBeGreaterThanOrEqual(32);
    expect(config.jwtSecretWarning).toMatch(/JWT_SECRET is not set/);
  });

  test('production refuses a missing or weak secret in one line', () => {
    for (const JWT_SECRET of [undefined, 'x'.repeat(31)]) {
      expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET })).toThrow(/^JWT_SECRET must/);
    }
  });

  test('production takes a strong secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: strong });

    expect(config.jwtSecret).toBe(strong);
    expect(config.jwtSecretWarning).toBeUndefined();
  });

  test('trusts no proxy unless told which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, loopback ,2001:db8::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '2001:db8::1',
    ]);
  });

  test.each(['2', 'proxy.internal', '10.0.0.0/33', '10.0.0.1,', '::1/129'])(
    'TRUST_PROXY=%s stops start-up with the entry named',
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^Invalid setting TRUST_PROXY: "/);
    },
  );

  test.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['LOG_LEVEL', 'loud'],
    ['SQLITE_GROUP_COMMIT', 'no'],
  ])('a bad %s stops start-up with the setting named', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid setting ${name}`));
  });
});
