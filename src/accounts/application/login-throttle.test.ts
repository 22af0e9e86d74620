import { describe, expect, test } from 'vitest';
import { FixedClock } from '../../building-blocks/application/testing/fixed-clock.ts';
import { LoginThrottle, type LoginThrottle as Throttle } from './login-throttle.ts';
import { InMemoryLoginAttempts } from './testing/in-memory-login-attempts.ts';

const policy = { failuresBeforeDelay: 2, maxDelayMs: 4000, forgetAfterMs: 60_000 };

function throttle() {
  const store = new InMemoryLoginAttempts();
  return { store, throttle: new LoginThrottle(store, new FixedClock(), policy) };
}

const admitMany = (subject: Throttle, emails: string[]) =>
  Promise.all(emails.map((email) => subject.admit(email)));

describe('LoginThrottle', () => {
  test('counts one account under every spelling of its email', async () => {
    const { throttle: subject } = throttle();

    const admissions = await admitMany(subject, [
      'ann@example.com',
      ' ANN@example.com',
      'Ann@Example.com ',
      'ann@EXAMPLE.com',
    ]);

    // Two free attempts; the third is let in and locks the account for a second.
    expect(admissions).toEqual([
      { admitted: true },
      { admitted: true },
      { admitted: true },
      { admitted: false, retryAfterSeconds: 1 },
    ]);
  });

  test('simultaneous attempts each count: a burst cannot pass before the first one is counted', async () => {
    const { throttle: subject, store } = throttle();

    const admissions = await admitMany(subject, Array(10).fill('ann@example.com'));

    expect(admissions.filter((a) => a.admitted)).toHaveLength(3);
    expect(store.states.get('ann@example.com')?.attempts).toBe(3);
  });

  test('many simultaneous attempts on one account within its allowance are all let in', async () => {
    const store = new InMemoryLoginAttempts();
    const generous = { ...policy, failuresBeforeDelay: 100 };
    const subject = new LoginThrottle(store, new FixedClock(), generous);

    const admissions = await admitMany(subject, Array(30).fill('ann@example.com'));

    expect(admissions.every((a) => a.admitted)).toBe(true);
    expect(store.states.get('ann@example.com')?.attempts).toBe(30);
  });

  test('an attempt on an account without a count costs the store one write, and no read', async () => {
    const { throttle: subject, store } = throttle();

    expect(await subject.admit('ann@example.com')).toEqual({ admitted: true });

    expect(store.calls).toEqual({ read: 0, replace: 1, forget: 0 });
    expect(store.states.get('ann@example.com')?.attempts).toBe(1);
  });

  test('an attempt on an account with a count reads it when the first write finds it there', async () => {
    const { throttle: subject, store } = throttle();
    await subject.admit('ann@example.com');
    await subject.admit('ann@example.com');

    // The third attempt counts on from two: it is let in and locks the account.
    expect(await subject.admit('ann@example.com')).toEqual({ admitted: true });
    expect(await subject.admit('ann@example.com')).toEqual({
      admitted: false,
      retryAfterSeconds: 1,
    });
    expect(store.states.get('ann@example.com')?.attempts).toBe(3);
  });

  test('a successful login clears the count', async () => {
    const { throttle: subject } = throttle();
    await admitMany(subject, ['ann@example.com', 'ann@example.com']);

    await subject.succeeded('ANN@example.com');

    expect(await subject.admit('ann@example.com')).toEqual({ admitted: true });
  });

  test('the count moves with the account to its new email address', async () => {
    const { throttle: subject } = throttle();
    await admitMany(subject, ['ann@example.com', 'ann@example.com', 'ann@example.com']);

    await subject.moved('ann@example.com', 'Anne@Example.com');

    expect(await subject.admit('anne@example.com')).toEqual({
      admitted: false,
      retryAfterSeconds: 1,
    });
  });

  test('a count the new address had already stays if it is the stricter one', async () => {
    const { throttle: subject } = throttle();
    await admitMany(subject, ['ann@example.com']);
    await admitMany(subject, ['new@example.com', 'new@example.com', 'new@example.com']);

    await subject.moved('ann@example.com', 'new@example.com');

    expect(await subject.admit('new@example.com')).toEqual({
      admitted: false,
      retryAfterSeconds: 1,
    });
  });

  test('an account without a count moves nothing', async () => {
    const { store, throttle: subject } = throttle();

    await subject.moved('ann@example.com', 'anne@example.com');

    expect(await store.read('anne@example.com')).toBeUndefined();
  });
});
