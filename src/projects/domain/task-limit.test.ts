import { describe, expect, test } from 'vitest';
import { InvalidTaskLimit } from './errors.ts';
import { parseTaskLimit } from './task-limit.ts';

describe('the limit of incomplete tasks', () => {
  test('is a positive whole number or null', () => {
    expect(parseTaskLimit(null)).toBeNull();
    expect(parseTaskLimit(1)).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => parseTaskLimit(bad), String(bad)).toThrow(InvalidTaskLimit);
    }
  });
});
