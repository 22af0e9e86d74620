import { beforeEach, describe, expect, test } from 'vitest';
import { FixedClock } from '../../building-blocks/application/testing/fixed-clock.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { SessionReadModel, SessionStatus } from '../application/queries/session-read-model.ts';
import type { SessionId } from '../domain/session.ts';
import { forgettingOnFileChange } from './session-changes.ts';
import { CachedSessionReadModel } from './session-status-cache.ts';

/**
 * The sessions table as the cache's source: it counts reads, and a test can hold the next
 * read in flight (`holdNextRead`) to change the table and hear of it before the read answers.
 */
class CountingSessions implements SessionReadModel {
  readonly rows = new Map<SessionId, SessionStatus>();
  reads = 0;
  #held: Promise<void> | undefined;

  holdNextRead(): () => void {
    let release = () => {};
    this.#held = new Promise((resolve) => {
      release = resolve;
    });
    return release;
  }

  async statusOf(id: SessionId) {
    this.reads++;
    const status = this.rows.get(id);
    const held = this.#held;
    this.#held = undefined;
    await held;
    return status;
  }

  async activeSessionsOf() {
    return [];
  }
}

const alice = 'alice' as UserId;
const bob = 'bob' as UserId;
const session = (n: number) => `session-${n}` as SessionId;

function active(userId = alice): SessionStatus {
  return {
    userId,
    revokedAt: null,
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    idleExpiresAt: new Date('2027-01-01T00:00:00Z'),
  };
}

function revoked(userId = alice): SessionStatus {
  return { ...active(userId), revokedAt: new Date('2026-01-02T03:04:05Z') };
}

let table: CountingSessions;
let clock: FixedClock;
let cache: CachedSessionReadModel;
beforeEach(() => {
  table = new CountingSessions();
  clock = new FixedClock();
  cache = new CachedSessionReadModel(table, clock, { maxAgeMs: 60_000, maxEntries: 3 });
  table.rows.set(session(1), active());
});

describe('CachedSessionReadModel, while listening for changes', () => {
  beforeEach(() => cache.listening());

  test('reads a session once, then answers from memory', async () => {
    await cache.statusOf(session(1));

    expect(await cache.statusOf(session(1))).toEqual(active());
    expect(table.reads).toBe(1);
  });

  test('a change heard of drops the status: the next request reads the change', async () => {
    await cache.statusOf(session(1));
    table.rows.set(session(1), revoked());

    cache.sessionChanged(session(1));

    expect(await cache.statusOf(session(1))).toEqual(revoked());
  });

  test("a change to a user's sessions drops every status of theirs, and only theirs", async () => {
    table.rows.set(session(2), active());
    table.rows.set(session(3), active(bob));
    for (const n of [1, 2, 3]) await cache.statusOf(session(n));
    table.rows.set(session(1), revoked());
    table.rows.set(session(2), revoked());

    cache.sessionsOfUserChanged(alice);

    expect(await cache.statusOf(session(1))).toEqual(revoked());
    expect(await cache.statusOf(session(2))).toEqual(revoked());
    expect(await cache.statusOf(session(3))).toEqual(active(bob));
    expect(table.reads).toBe(5);
  });

  test('a read that saw the session active is not kept if a change was heard of meanwhile', async () => {
    const release = table.holdNextRead();
    const inFlight = cache.statusOf(session(1));
    // The revocation commits and its notification arrives before the read answers.
    table.rows.set(session(1), revoked());
    cache.sessionChanged(session(1));
    release();

    expect(await inFlight).toEqual(active()); // what the request saw, when it asked
    expect(await cache.statusOf(session(1))).toEqual(revoked());
  });

  test('a status is kept no longer than the maximum age', async () => {
    await cache.statusOf(session(1));
    table.rows.set(session(1), revoked()); // a change whose notification never came

    clock.advanceBy(59_999);
    expect(await cache.statusOf(session(1))).toEqual(active());
    clock.advanceBy(1);
    expect(await cache.statusOf(session(1))).toEqual(revoked());
  });

  test('a clock set back does not make a kept status young again', async () => {
    await cache.statusOf(session(1));
    table.rows.set(session(1), revoked());

    clock.advanceBy(-3_600_000);

    expect(await cache.statusOf(session(1))).toEqual(revoked());
  });

  test('keeps at most maxEntries statuses, dropping the oldest', async () => {
    for (const n of [1, 2, 3, 4]) {
      table.rows.set(session(n), active());
      await cache.statusOf(session(n));
    }

    expect(cache.size).toBe(3);
    await cache.statusOf(session(4));
    expect(table.reads).toBe(4);
    await cache.statusOf(session(1));
    expect(table.reads).toBe(5);
  });

  test('a session that does not exist is read again each time', async () => {
    expect(await cache.statusOf(session(9))).toBeUndefined();
    expect(await cache.statusOf(session(9))).toBeUndefined();
    expect(table.reads).toBe(2);
  });
});

describe('CachedSessionReadModel, while not listening', () => {
  test('reads the session on every request until it listens', async () => {
    await cache.statusOf(session(1));
    await cache.statusOf(session(1));

    expect(table.reads).toBe(2);
    expect(cache.size).toBe(0);
  });

  test('a lost connection: what was kept goes, every request reads, a read under way keeps nothing', async () => {
    cache.listening();
    await cache.statusOf(session(1));
    const release = table.holdNextRead();
    table.rows.set(session(2), active());
    const inFlight = cache.statusOf(session(2));

    cache.notListening();
    release();
    await inFlight;

    expect(cache.size).toBe(0);
    await cache.statusOf(session(1));
    await cache.statusOf(session(1));
    expect(table.reads).toBe(4);
  });

  test('listening again drops everything kept before (changes may have been missed)', async () => {
    cache.listening();
    await cache.statusOf(session(1));
    cache.notListening();
    table.rows.set(session(1), revoked()); // its notification is lost with the connection

    cache.listening();

    expect(await cache.statusOf(session(1))).toEqual(revoked());
  });
});

describe('on SQLite, forgetting everything when the file has changed', () => {
  let version: number;
  let sessions: SessionReadModel;
  beforeEach(() => {
    version = 1;
    sessions = forgettingOnFileChange(cache, () => version);
  });

  test('while the file has not changed, a status is read once', async () => {
    await sessions.statusOf(session(1));

    expect(await sessions.statusOf(session(1))).toEqual(active());
    expect(table.reads).toBe(1);
  });

  test('once anything was committed to the file, every status is read again', async () => {
    table.rows.set(session(2), active(bob));
    await sessions.statusOf(session(1));
    await sessions.statusOf(session(2));
    table.rows.set(session(1), revoked());

    version = 2;

    expect(await sessions.statusOf(session(1))).toEqual(revoked());
    expect(await sessions.statusOf(session(2))).toEqual(active(bob));
    expect(table.reads).toBe(4);
  });
});
