import { describe, expect, test } from 'vitest';
import { RecentRaces } from './recent-races.ts';

describe('RecentRaces', () => {
  const at = (start = 0) => {
    const clock = { ms: start };
    return { clock, now: () => clock.ms };
  };

  test('an aggregate that lost a race counts as contended for the window, then no more', () => {
    const { clock, now } = at();
    const races = new RecentRaces({ windowMs: 1_000, now });

    races.lost('project 1');
    clock.ms = 999;

    expect(races.lostLately('project 1')).toBe(true);
    expect(races.lostLately('project 2')).toBe(false);
    clock.ms = 1_000;
    expect(races.lostLately('project 1')).toBe(false);
  });

  test('a new loss starts the window again', () => {
    const { clock, now } = at();
    const races = new RecentRaces({ windowMs: 1_000, now });

    races.lost('project 1');
    clock.ms = 800;
    races.lost('project 1');
    clock.ms = 1_500;

    expect(races.lostLately('project 1')).toBe(true);
  });

  test('beyond its capacity the oldest loss is forgotten first', () => {
    const { now } = at();
    const races = new RecentRaces({ capacity: 2, now });

    races.lost('project 1');
    races.lost('project 2');
    races.lost('project 1'); // lost again: now the most recent
    races.lost('project 3');

    expect(races.lostLately('project 2')).toBe(false);
    expect(races.lostLately('project 1')).toBe(true);
    expect(races.lostLately('project 3')).toBe(true);
  });
});
