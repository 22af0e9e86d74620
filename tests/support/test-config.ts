import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config.ts';

/** Settings for a test instance: in-memory SQLite, quiet logs, a fixed strong secret. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'sqlite::memory:',
      JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      // Welcome emails go to files outside the working tree.
      MAIL_DIR: join(tmpdir(), 'taskflow-test-mail'),
    }),
    ...overrides,
  };
}
