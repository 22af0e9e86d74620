import { beforeEach, describe, expect, test } from 'vitest';
import type { AccountsRepositories } from '../../src/accounts/application/ports.ts';
import type { SessionReadModel } from '../../src/accounts/application/queries/session-read-model.ts';
import {
  type RefreshTokenHash,
  Session,
  type SessionId,
} from '../../src/accounts/domain/session.ts';
import { ConcurrencyConflict } from '../../src/building-blocks/application/concurrency-conflict.ts';
import type { UnitOfWork } from '../../src/building-blocks/application/unit-of-work.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';

const ALICE = '00000000-0000-7000-8000-00000000a11c' as UserId;
const BOB = '00000000-0000-7000-8000-000000000b0b' as UserId;
const lifetimes = { absoluteSeconds: 30 * 86_400, idleSeconds: 7 * 86_400 };
const start = new Date('2026-01-02T03:04:05.000Z');
let sessionCount = 0;

function aSession(userId = ALICE, { at = start, userAgent = 'test' } = {}) {
  sessionCount++;
  const suffix = String(sessionCount).padStart(12, '0');
  return Session.start({
    id: `00000000-0000-7000-8000-${suffix}` as SessionId,
    userId,
    refreshTokenHash: `hash-${suffix}-${Math.random()}` as RefreshTokenHash,
    now: at,
    lifetimes,
    clientAddress: '192.0.2.1',
    userAgent,
  });
}

/**
 * What every SessionRepository and SessionReadModel must do, run against the in-memory
 * fakes (unit tests) and the SQL adapters on each real database (integration tests).
 */
export function sessionContract(
  name: string,
  makeAdapters: () => Promise<{
    uow: UnitOfWork<AccountsRepositories>;
    sessions: SessionReadModel;
  }>,
) {
  describe(`SessionRepository and SessionReadModel contract: ${name}`, () => {
    let uow: UnitOfWork<AccountsRepositories>;
    let reads: SessionReadModel;
    beforeEach(async () => {
      ({ uow, sessions: reads } = await makeAdapters());
    });

    const add = async (session: Session) => {
      await uow.run(({ sessions }) => sessions.add(session));
      return session;
    };
    const load = (id: SessionId) => uow.run(({ sessions }) => sessions.findById(id));
    const byToken = (hash: RefreshTokenHash) =>
      uow.run(({ sessions }) => sessions.findByRefreshToken(hash));

    test('gives back what it stored, and reads it as active', async () => {
      const session = await add(aSession());

      expect((await load(session.id))?.toState()).toEqual({ ...session.toState(), version: 1 });
      expect(await reads.statusOf(session.id)).toEqual({
        userId: ALICE,
        revokedAt: null,
        expiresAt: session.toState().expiresAt,
        idleExpiresAt: session.toState().idleExpiresAt,
      });
      expect(await reads.statusOf('00000000-0000-7000-8000-ffffffffffff' as SessionId)).toBe(
        undefined,
      );
    });

    test('finds a session by its current refresh token, and by a retired one as retired', async () => {
      const session = await add(aSession());
      const first = session.refreshTokenHash;
      const next = 'rotated-hash' as RefreshTokenHash;

      expect((await byToken(first))?.retired).toBe(false);
      await uow.run(async ({ sessions }) => {
        const stored = (await sessions.findById(session.id)) as Session;
        stored.rotate(next, new Date(start.getTime() + 1000), lifetimes);
        await sessions.save(stored);
      });

      const retired = await byToken(first);
      expect(retired?.retired).toBe(true);
      expect(retired?.session.id).toBe(session.id);
      expect((await byToken(next))?.retired).toBe(false);
      expect(await byToken('unknown' as RefreshTokenHash)).toBeUndefined();
    });

    test('refuses to save over a version that moved on', async () => {
      const session = await add(aSession());
      const stale = (await load(session.id)) as Session;
      await uow.run(async ({ sessions }) => {
        const fresh = (await sessions.findById(session.id)) as Session;
        fresh.revoke(start);
        await sessions.save(fresh);
      });

      stale.revoke(start);
      await expect(uow.run(({ sessions }) => sessions.save(stale))).rejects.toThrow(
        ConcurrencyConflict,
      );
    });

    test("revokes all of a user's sessions but one, and moves their versions on", async () => {
      const kept = await add(aSession());
      const ended = await add(aSession());
      const bobs = await add(aSession(BOB));
      const staleCopy = (await load(ended.id)) as Session;

      await uow.run(({ sessions }) => sessions.revokeAllOf(ALICE, start, { except: kept.id }));

      expect((await reads.statusOf(ended.id))?.revokedAt).toEqual(start);
      expect((await reads.statusOf(kept.id))?.revokedAt).toBeNull();
      expect((await reads.statusOf(bobs.id))?.revokedAt).toBeNull();
      staleCopy.rotate('x' as RefreshTokenHash, start, lifetimes);
      await expect(uow.run(({ sessions }) => sessions.save(staleCopy))).rejects.toThrow(
        ConcurrencyConflict,
      );
    });

    test("removes all of a user's sessions and their retired tokens", async () => {
      const session = await add(aSession());
      const first = session.refreshTokenHash;
      await uow.run(async ({ sessions }) => {
        const stored = (await sessions.findById(session.id)) as Session;
        stored.rotate('second' as RefreshTokenHash, start, lifetimes);
        await sessions.save(stored);
      });
      const bobs = await add(aSession(BOB));

      await uow.run(({ sessions }) => sessions.removeAllOf(ALICE));

      expect(await load(session.id)).toBeUndefined();
      expect(await byToken(first)).toBeUndefined();
      expect(await reads.statusOf(session.id)).toBeUndefined();
      expect(await load(bobs.id)).toBeDefined();
    });

    test('lists a user’s active sessions, the most recently used first', async () => {
      const older = await add(aSession(ALICE, { userAgent: 'older' }));
      const newer = await add(
        aSession(ALICE, { at: new Date(start.getTime() + 60_000), userAgent: 'newer' }),
      );
      const revoked = aSession();
      revoked.revoke(start);
      await add(revoked);
      await add(aSession(BOB));

      const listed = await reads.activeSessionsOf(ALICE, new Date(start.getTime() + 120_000));

      expect(listed).toEqual([
        {
          id: newer.id,
          createdAt: '2026-01-02T03:05:05.000Z',
          lastUsedAt: '2026-01-02T03:05:05.000Z',
          clientAddress: '192.0.2.1',
          userAgent: 'newer',
        },
        expect.objectContaining({ id: older.id, userAgent: 'older' }),
      ]);
      const afterIdle = new Date(start.getTime() + lifetimes.idleSeconds * 1000 + 1);
      expect((await reads.activeSessionsOf(ALICE, afterIdle)).map((s) => s.id)).toEqual([newer.id]);
    });
  });
}
