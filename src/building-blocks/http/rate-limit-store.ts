import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { Redis } from 'ioredis';

/**
 * The per-address limit's counters in Redis, shared by every process, under keys that start
 * with `keyPrefix`; while Redis fails, in this process's memory. An outage only stops the
 * processes from sharing their counts: it lifts no limit (a registration hashes a password,
 * and an unlimited stream of them would hold the hashing threads).
 */
export function sharedOrLocalCounts(redis: Redis, keyPrefix: string): FastifyRateLimitStoreCtor {
  return class implements FastifyRateLimitStore {
    // The service sets neither `continueExceeding` nor `exponentialBackoff`.
    readonly #counts = fallingBack(
      new RedisStore(false, false, redis, keyPrefix),
      new LocalStore(false, false),
    );

    incr(...count: Parameters<FastifyRateLimitStore['incr']>): void {
      this.#counts.incr(...count);
    }

    child(...route: Parameters<FastifyRateLimitStore['child']>): FastifyRateLimitStore {
      return this.#counts.child(...route);
    }
  };
}

/** Counts in `shared`; a count `shared` cannot take is taken by `local`. */
function fallingBack(
  shared: FastifyRateLimitStore,
  local: FastifyRateLimitStore,
): FastifyRateLimitStore {
  return {
    incr: (key, callback, timeWindow, max) =>
      shared.incr(
        key,
        (error, result) =>
          error ? local.incr(key, callback, timeWindow, max) : callback(null, result),
        timeWindow,
        max,
      ),
    child: (routeOptions) => fallingBack(shared.child(routeOptions), local.child(routeOptions)),
  };
}
