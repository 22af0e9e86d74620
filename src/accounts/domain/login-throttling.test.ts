import { describe, expect, test } from 'vitest';
import {
  type Admission,
  admitLoginAttempt,
  type LoginAttempts,
  lockAfter,
} from './login-throttling.ts';

const policy = { failuresBeforeDelay: 3, maxDelayMs: 8_000, forgetAfterMs: 60_000 };

/** Admits attempts one after the other at `now`, as long as they are admitted. */
function attempts(count: number, now: number, from?: LoginAttempts) {
  let state = from;
  const results: Admission[] = [];
  for (let i = 0; i < count; i++) {
    const admission = admitLoginAttempt(state, now, policy);
    results.push(admission);
    if (admission.admitted) state = admission.next;
  }
  return { state, results };
}

describe('throttling the logins of one account', () => {
  test('the first attempts in a row cost nothing', () => {
    const { results } = attempts(3, 0);
    expect(results.every((r) => r.admitted)).toBe(true);
  });

  test('each attempt beyond them doubles the wait, up to the maximum', () => {
    expect([3, 4, 5, 6, 7, 8, 50, 10_000].map((n) => lockAfter(n, policy))).toEqual([
      0, 1000, 2000, 4000, 8000, 8000, 8000, 8000,
    ]);
  });

  test('a burst at one moment is refused once the free attempts are spent', () => {
    const { results } = attempts(20, 1000);
    expect(results.filter((r) => r.admitted)).toHaveLength(4);
    expect(results[4]).toEqual({ admitted: false, retryAfterSeconds: 1 });
  });

  test('a refused attempt does not lengthen the lock; the next one after it is admitted', () => {
    const { state } = attempts(10, 0); // the 4th locks for 1 s; the others are refused
    expect(state).toEqual({ attempts: 4, lastAttemptAt: 0, lockedUntil: 1000 });
    expect(admitLoginAttempt(state, 999, policy)).toEqual({
      admitted: false,
      retryAfterSeconds: 1,
    });
    expect(admitLoginAttempt(state, 1000, policy)).toMatchObject({
      admitted: true,
      next: { attempts: 5, lockedUntil: 1000 + 2000 },
    });
  });

  test('the count is forgotten after a quiet period', () => {
    const { state } = attempts(4, 0);
    expect(admitLoginAttempt(state, 60_000, policy)).toMatchObject({
      admitted: true,
      next: { attempts: 1, lockedUntil: 60_000 },
    });
  });
});
