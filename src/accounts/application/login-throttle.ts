import type { Clock } from '../../building-blocks/application/clock.ts';
import { normaliseEmail } from '../../shared-kernel/domain/email-address.ts';
import {
  admitLoginAttempt,
  type LoginAttempts,
  type LoginThrottlePolicy,
} from '../domain/login-throttling.ts';

/**
 * Where the login attempts of each account are counted, shared by every process of the
 * service (the database, or Redis). `key` is the account's normalised email address; the
 * store decides how it keeps it.
 */
export interface LoginAttemptStore {
  read(key: string): Promise<LoginAttempts | undefined>;
  /**
   * Writes `next` if the stored state is still `expected` (nothing, for `undefined`);
   * false when another attempt changed it first. The state may be dropped after `keepMs`.
   */
  replace(
    key: string,
    expected: LoginAttempts | undefined,
    next: LoginAttempts,
    keepMs: number,
  ): Promise<boolean>;
  forget(key: string): Promise<void>;
}

export type LoginAdmission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** Simultaneous attempts on one account that lose a race for its counter try again this often. */
const MAX_RACES = 10;

/**
 * Admits or refuses a login attempt for an account before its password is checked, and
 * clears the account's count when one succeeds. The rules: `admitLoginAttempt`.
 */
export class LoginThrottle {
  readonly #store: LoginAttemptStore;
  readonly #clock: Clock;
  readonly #policy: LoginThrottlePolicy;

  constructor(store: LoginAttemptStore, clock: Clock, policy: LoginThrottlePolicy) {
    this.#store = store;
    this.#clock = clock;
    this.#policy = policy;
  }

  async admit(email: string): Promise<LoginAdmission> {
    const key = normaliseEmail(email);
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await this.#store.read(key);
      const admission = admitLoginAttempt(current, this.#clock.now().getTime(), this.#policy);
      if (!admission.admitted) return admission;
      if (await this.#store.replace(key, current, admission.next, this.#policy.forgetAfterMs)) {
        return { admitted: true };
      }
    }
    // So many attempts on one account at once are an attack: let it wait.
    return { admitted: false, retryAfterSeconds: 1 };
  }

  async succeeded(email: string): Promise<void> {
    await this.#store.forget(normaliseEmail(email));
  }
}
