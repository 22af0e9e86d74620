import { describe, expect, test } from 'vitest';
import { InvalidName, InvalidTaskLimit } from './errors.ts';
import { parseProjectName, parseTaskLimit, parseTaskName } from './names.ts';

describe('names', () => {
  test('are trimmed', () => {
    expect(parseProjectName('  Garden  ')).toBe('Garden');
    expect(parseTaskName('\tWater plants\n')).toBe('Water plants');
  });

  test('have 4 to 32 characters, counted as a person counts them', () => {
    expect(parseTaskName('abcd')).toBe('abcd');
    expect(parseTaskName('a'.repeat(32))).toHaveLength(32);
    expect(parseTaskName('🎉🎉🎉🎉')).toBe('🎉🎉🎉🎉');
    for (const bad of ['abc', '   abc   ', 'a'.repeat(33), '', '🎉🎉🎉']) {
      expect(() => parseProjectName(bad), bad).toThrow(InvalidName);
    }
  });

  test('refuse control characters', () => {
    expect(() => parseTaskName('Robert\u0000Tables')).toThrow(InvalidName);
    expect(() => parseTaskName('Line\nbreak')).toThrow(InvalidName);
  });
});

describe('the limit of incomplete tasks', () => {
  test('is a positive whole number or null', () => {
    expect(parseTaskLimit(null)).toBeNull();
    expect(parseTaskLimit(1)).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => parseTaskLimit(bad), String(bad)).toThrow(InvalidTaskLimit);
    }
  });
});
