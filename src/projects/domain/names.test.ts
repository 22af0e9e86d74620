import { describe, expect, test } from 'vitest';
import { InvalidName } from './errors.ts';
import { parseProjectName, parseTaskName } from './names.ts';

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
