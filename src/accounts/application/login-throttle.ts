import type { Clock } from '../../building-blocks/application/clock.ts';
import { normaliseEmail } from '../../shared-kernel/domain/email-address.ts';
import {
  admitLoginAttempt,
  type LoginAttempts,
  type LoginThrottlePolicy,
  stricterOf,
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
 *
 * The attempts on one account that reach this process at once take turns at its count, so
 * only attempts in other processes race for it: sixteen people behind one office address
 * logging in to a shared account at the same moment would otherwise lose the race ten times
 * and be told to wait.
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

  /** The last attempt in line for each account's count. */
  readonly #turns = new Map<string, Promise<unknown>>();

  admit(email: string): Promise<LoginAdmission> {
    const key = normaliseEmail(email);
    const before = this.#turns.get(key) ?? Promise.resolve();
    const turn = before.then(() => this.#admit(key));
    const done = turn.catch(() => {});
    this.#turns.set(key, done);
    void done.then(() => {
      if (this.#turns.get(key) === done) this.#turns.delete(key);
    });
    return turn;
  }

  async #admit(key: string): Promise<LoginAdmission> {
    // Most accounts have no count (a successful login clears it): the first try assumes so, and
    // the store's compare-and-set says when that was wrong. A login then costs the store one
    // write, not a read and a write.
    let current: LoginAttempts | undefined;
    for (let race = 0; race < MAX_RACES; race++) {
      if (race > 0) current = await this.#store.read(key);
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

  /**
   * The account's email address changed from `from` to `to`: its count goes with it (the
   * stricter of it and any the new address had). Otherwise a stolen token, which may change
   * the address without the password, would change it to guess the password afresh at each
   * new address. The old address keeps its count until it is forgotten.
   */
  async moved(from: string, to: string): Promise<void> {
    const [fromKey, toKey] = [normaliseEmail(from), normaliseEmail(to)];
    if (fromKey === toKey) return;
    const moving = await this.#store.read(fromKey);
    if (moving === undefined) return;
    for (let race = 0; race < MAX_RACES; race++) {
      const there = await this.#store.read(toKey);
      const next = stricterOf(moving, there);
      if (await this.#store.replace(toKey, there, next, this.#policy.forgetAfterMs)) return;
    }
    throw new Error(`The login count of ${toKey} kept changing: it could not be moved there.`);
  }
}
