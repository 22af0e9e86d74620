/**
 * How attempts to log in to one account slow down, wherever they come from. Pure: the
 * caller brings the state (kept where every process sees it) and the time.
 *
 * The first `failuresBeforeDelay` attempts in a row cost nothing. Each attempt after them
 * locks the account for twice as long as the one before (1 s, 2 s, 4 s, ...) up to
 * `maxDelayMs`; a successful login clears the count, and so do `forgetAfterMs` without an
 * attempt. An attempt counts when it is admitted, before its password is checked, so a burst
 * of simultaneous guesses cannot all slip through before the first one fails. An attempt
 * refused while the account is locked costs nothing and does not lengthen the lock: the real
 * owner waits at most `maxDelayMs` after the attacker's last admitted guess.
 */
export interface LoginAttempts {
  /** Attempts admitted since the last successful login (or since the count was forgotten). */
  attempts: number;
  /** When the last one was admitted, in milliseconds since the epoch. */
  lastAttemptAt: number;
  /** No attempt is admitted before this moment (milliseconds since the epoch). */
  lockedUntil: number;
}

export interface LoginThrottlePolicy {
  failuresBeforeDelay: number;
  maxDelayMs: number;
  forgetAfterMs: number;
}

export type Admission =
  | { admitted: true; next: LoginAttempts }
  | { admitted: false; retryAfterSeconds: number };

const FIRST_DELAY_MS = 1000;

export function admitLoginAttempt(
  current: LoginAttempts | undefined,
  now: number,
  policy: LoginThrottlePolicy,
): Admission {
  const remembered =
    current !== undefined && now - current.lastAttemptAt < policy.forgetAfterMs
      ? current
      : undefined;
  if (remembered !== undefined && now < remembered.lockedUntil) {
    return {
      admitted: false,
      retryAfterSeconds: Math.max(1, Math.ceil((remembered.lockedUntil - now) / 1000)),
    };
  }
  const attempts = (remembered?.attempts ?? 0) + 1;
  return {
    admitted: true,
    next: { attempts, lastAttemptAt: now, lockedUntil: now + lockAfter(attempts, policy) },
  };
}

/** How long the account stays locked after the `attempts`-th attempt in a row. */
export function lockAfter(attempts: number, policy: LoginThrottlePolicy): number {
  const beyond = attempts - policy.failuresBeforeDelay;
  if (beyond <= 0) return 0;
  // 2^30 s is far beyond any maximum: the exponent stops growing before it overflows.
  return Math.min(policy.maxDelayMs, FIRST_DELAY_MS * 2 ** Math.min(beyond - 1, 30));
}

/**
 * One account's count where two were kept (its count moving to a new email address that had
 * one of its own): the stricter of each, so that moving the count never shortens a lock.
 */
export function stricterOf(a: LoginAttempts, b: LoginAttempts | undefined): LoginAttempts {
  if (b === undefined) return a;
  return {
    attempts: Math.max(a.attempts, b.attempts),
    lastAttemptAt: Math.max(a.lastAttemptAt, b.lastAttemptAt),
    lockedUntil: Math.max(a.lockedUntil, b.lockedUntil),
  };
}
