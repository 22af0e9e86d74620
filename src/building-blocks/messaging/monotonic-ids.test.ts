import { describe, expect, test } from 'vitest';
import { monotonicUuidV7 } from './monotonic-ids.ts';

describe('monotonicUuidV7', () => {
  test('ids made in a row sort in that order, even within one millisecond', () => {
    const next = monotonicUuidV7();
    const ids = Array.from({ length: 1_000 }, next);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('ids are UUIDv7', () => {
    expect(monotonicUuidV7()()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
