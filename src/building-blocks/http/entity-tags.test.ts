import { describe, expect, test } from 'vitest';
import { ifMatchTags, noneMatchHolds, quoted } from './entity-tags.ts';

describe('If-Match', () => {
  test('gives the strong tags of the list; none for *; weak ones never match', () => {
    expect(ifMatchTags(undefined)).toBeUndefined();
    expect(ifMatchTags('*')).toBeUndefined();
    expect(ifMatchTags('"3"')).toEqual(['3']);
    expect(ifMatchTags(' "3" , W/"4","5-open" ')).toEqual(['3', '5-open']);
  });

  test('empty elements of the list are ignored (RFC 9110 §5.6.1)', () => {
    expect(ifMatchTags('"3",')).toEqual(['3']);
    expect(ifMatchTags(', "3"')).toEqual(['3']);
    expect(ifMatchTags('"3", ,"4"')).toEqual(['3', '4']);
    expect(noneMatchHolds('"3",', '3')).toBe(true);
  });

  test('a malformed header holds no tag, so nothing matches (412)', () => {
    for (const header of ['3', '"3', '"3" "4"', '', ' , ', 'W/3', '"a"b"', '"3";']) {
      expect(ifMatchTags(header)).toEqual([]);
    }
  });
});

describe('If-None-Match', () => {
  test('matches weakly, or with *', () => {
    expect(noneMatchHolds(undefined, '3')).toBe(false);
    expect(noneMatchHolds(quoted('3'), '3')).toBe(true);
    expect(noneMatchHolds('W/"3"', '3')).toBe(true);
    expect(noneMatchHolds('"1", "3"', '3')).toBe(true);
    expect(noneMatchHolds('*', '3')).toBe(true);
    expect(noneMatchHolds('"4"', '3')).toBe(false);
    expect(noneMatchHolds('junk', '3')).toBe(false);
  });
});
