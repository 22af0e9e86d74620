import { describe, expect, test } from 'vitest';
import { retryDelayMs } from './retry-policy.ts';

const policy = { maxAttempts: 8, firstDelayMs: 1_000, maxDelayMs: 300_000 };

describe('retryDelayMs', () => {
  test('doubles with each failure, between half the delay and the delay', () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(1_000);
    expect(retryDelayMs(policy, 4, () => 0)).toBe(4_000);
    expect(retryDelayMs(policy, 4, () => 1)).toBe(8_000);
  });

  test('never waits longer than the maximum', () => {
    expect(retryDelayMs(policy, 30, () => 1)).toBe(300_000);
    expect(retryDelayMs(policy, 30, () => 0)).toBe(150_000);
  });
});
