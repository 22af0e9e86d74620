import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DatabaseUnavailable } from '../../building-blocks/application/database-unavailable.ts';
import type { LoginAttemptStore } from '../application/login-throttle.ts';
import type { LoginAttempts } from '../domain/login-throttling.ts';

/** Sets the key only if it still holds the expected value (an empty string: no key). */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

type WithCompareAndSet = Redis & {
  loginAttemptsCompareAndSet(
    key: string,
    expected: string,
    next: string,
    keepMs: number,
  ): Promise<number>;
};

/**
 * The login counters in Redis, when `REDIS_URL` is set: one key per account (a SHA-256 of
 * the normalised email), dropped by Redis itself once the count would be forgotten anyway.
 * The compare-and-set runs as one Lua script, atomic on the server.
 */
export class RedisLoginAttempts implements LoginAttemptStore {
  readonly #redis: WithCompareAndSet;
  readonly #prefix: string;

  constructor(redis: Redis, namespace: string) {
    this.#prefix = `${namespace}:login-attempts:`;
    if (!('loginAttemptsCompareAndSet' in redis)) {
      redis.defineCommand('loginAttemptsCompareAndSet', {
        numberOfKeys: 1,
        lua: COMPARE_AND_SET,
      });
    }
    this.#redis = redis as WithCompareAndSet;
  }

  async read(key: string): Promise<LoginAttempts | undefined> {
    const value = await unavailableAs503(this.#redis.get(this.#key(key)));
    return value === null ? undefined : (JSON.parse(value) as LoginAttempts);
  }

  async replace(
    key: string,
    expected: LoginAttempts | undefined,
    next: LoginAttempts,
    keepMs: number,
  ): Promise<boolean> {
    const changed = await unavailableAs503(
      this.#redis.loginAttemptsCompareAndSet(
        this.#key(key),
        expected === undefined ? '' : encode(expected),
        encode(next),
        keepMs,
      ),
    );
    return changed === 1;
  }

  async forget(key: string): Promise<void> {
    await unavailableAs503(this.#redis.del(this.#key(key)));
  }

  /** The account's key: its email is hashed, so no address shows in Redis. */
  #key(account: string): string {
    return `${this.#prefix}${createHash('sha256').update(account).digest('base64url')}`;
  }
}

/**
 * Redis down, unreachable or silent: the counters cannot be checked, so the login (or the
 * password check) is refused, as a 503 the client may try again, not a 500: without the
 * count, a login would let a guesser past the throttle.
 */
async function unavailableAs503<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (error) {
    throw new DatabaseUnavailable(error, {
      nothingWritten: true,
      retryAtOnce: false,
      store: 'store of login attempts (Redis)',
    });
  }
}

/** The same state always gives the same text: the compare-and-set compares texts. */
function encode({ attempts, lastAttemptAt, lockedUntil }: LoginAttempts): string {
  return JSON.stringify({ attempts, lastAttemptAt, lockedUntil });
}
