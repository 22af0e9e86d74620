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

  test('refuse half of a UTF-16 pair, which would be stored as a replacement character', () => {
    expect(() => parseProjectName('ab\ud800cd')).toThrow(/lone surrogate/);
    expect(() => parseTaskName('ta\udfffsk')).toThrow(/lone surrogate/);
    expect(parseTaskName('Ship \u{1F680} it')).toBe('Ship \u{1F680} it'); // a whole pair is fine
  });

  test('refuse noncharacters, which Unicode keeps for use inside a program', () => {
    for (const noncharacter of ['\uFFFE', '\uFFFF', '\uFDD0', '\u{10FFFF}', '\u{1FFFE}']) {
      expect(() => parseTaskName(`Task ${noncharacter} one`)).toThrow(/noncharacter/);
    }
    // Their neighbours are characters like any other.
    expect(parseTaskName('Task \uFDCF \uFFFD one')).toBe('Task \uFDCF \uFFFD one');
  });

  test('are NFC: one accented letter however it was typed', () => {
    expect(parseTaskName('Cafe\u0301 list')).toBe('Caf\u00e9 list');
  });

  test('refuse text-direction overrides and isolates, and say why', () => {
    for (const bidi of ['\u202E', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u202A']) {
      expect(() => parseProjectName(`Invoice${bidi}fdp.exe`)).toThrow(/reverses the text/);
    }
  });

  test('refuse names that show nothing, and say why', () => {
    for (const blank of [
      '\u200B\u200B\u200B\u200B\u200B',
      '\u200D\u200C\u2060\uFEFF',
      '\u3164\u3164\u3164\u3164',
      '\u2800\u2800\u2800\u2800',
      '\u00A0\u2003\u3000\u00AD\u00AD',
      '\u0301\u0301\u0301\u0301',
      ' \u0308\u200B\u0323\u0301 ',
    ]) {
      expect(() => parseTaskName(blank), JSON.stringify(blank)).toThrow(/no visible character/);
    }
    // An invisible joiner inside a visible name is fine (it joins emoji), and so are marks
    // on letters and a direction mark in mixed-direction text.
    expect(parseTaskName('👨\u200D👩\u200D👧 plans')).toBe('👨\u200D👩\u200D👧 plans');
    expect(parseTaskName('Zoe\u0308 notes')).toBe('Zoë notes');
    expect(parseTaskName('\u05E2\u05D1\u05E8\u05D9\u05EA\u200F 2')).toBe(
      '\u05E2\u05D1\u05E8\u05D9\u05EA\u200F 2',
    );
  });

  test('say which rule a name breaks', () => {
    expect(() => parseTaskName('abc')).toThrow(/it has 3 characters/);
    expect(() => parseTaskName('Robert\u0000Tables')).toThrow(/control character/);
  });
});
