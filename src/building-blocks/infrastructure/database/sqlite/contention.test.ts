import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ConcurrencyConflict } from '../../../application/concurrency-conflict.ts';
import { ContentionWindow } from './contention.ts';

/** What node:sqlite throws when another connection holds the lock (SQLITE_BUSY_SNAPSHOT). */
const busy = Object.assign(new Error('database is locked'), { errcode: 517 });

describe('the contention window', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-02T03:04:05.000Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('transactions begin deferred while no other process has got in the way', () => {
    const window = new ContentionWindow();

    expect(window.begin()).toMatchObject({ deferred: true });
    expect(window.begin().statement.sql).toBe('begin');
    expect(window.asConflict(true, new Error('UNIQUE constraint failed'))).toBeUndefined();
    expect(window.begin()).toMatchObject({ deferred: true });
  });

  test('a busy error in a deferred transaction is a conflict, and opens the window for two seconds', () => {
    const window = new ContentionWindow();

    expect(window.asConflict(true, busy)).toBeInstanceOf(ConcurrencyConflict);
    expect(window.begin()).toMatchObject({ deferred: false });
    expect(window.begin().statement.sql).toBe('begin immediate');

    vi.advanceTimersByTime(1_999);
    expect(window.begin()).toMatchObject({ deferred: false });
    vi.advanceTimersByTime(1);
    expect(window.begin()).toMatchObject({ deferred: true });
  });

  test('a busy error in an immediate transaction is not a conflict: it waited its busy timeout', () => {
    const window = new ContentionWindow();

    expect(window.asConflict(false, busy)).toBeUndefined();
    expect(window.begin()).toMatchObject({ deferred: true });
  });
});
