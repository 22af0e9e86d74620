import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RefreshTokenHash, SessionId } from '../../src/accounts/domain/session.ts';
import { Session } from '../../src/accounts/domain/session.ts';
import { hearSessionChanges } from '../../src/accounts/infrastructure/session-changes.ts';
import { CachedSessionReadModel } from '../../src/accounts/infrastructure/session-status-cache.ts';
import { SqlSessionReadModel } from '../../src/accounts/infrastructure/sql-session-read-model.ts';
import { migrations } from '../../src/app.ts';
import { systemClock } from '../../src/building-blocks/application/clock.ts';
import { DatabaseUnavailable } from '../../src/building-blocks/application/database-unavailable.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { migrateToLatest } from '../../src/building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { uuidV7 } from '../../src/building-blocks/infrastructure/uuid-v7.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { accountsUnitOfWork } from '../support/accounts-unit-of-work.ts';
import { eventually } from '../support/eventually.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

// Two `Database`s on one PostgreSQL database stand for two processes of the service: the one
// that caches session statuses, and another that changes sessions.
describe.runIf(TEST_DIALECT === 'postgres')('session statuses cached on PostgreSQL', () => {
  let fresh: FreshDatabase;
  let other: Database;
  let caching: Database | undefined;

  beforeAll(async () => {
    fresh = await freshDatabase();
    other = openDatabase(fresh.url, { poolSize: 2 });
    await migrateToLatest(other, ...migrations);
  });
  afterEach(async () => {
    await caching?.close();
    caching = undefined;
  });
  afterAll(async () => {
    await other?.close();
    await fresh?.drop();
  });

  /** A process that caches: its database, its cache, and what it logged. */
  async function cachingProcess(url = fresh.url) {
    caching = openDatabase(url, { poolSize: 2 });
    const cache = new CachedSessionReadModel(new SqlSessionReadModel(caching.reads), systemClock, {
      maxAgeMs: 60_000,
      maxEntries: 100,
    });
    const logged: { level: 'info' | 'warn'; message: string }[] = [];
    hearSessionChanges(caching, cache, {
      info: (_, message) => void logged.push({ level: 'info', message }),
      warn: (_, message) => void logged.push({ level: 'warn', message }),
    });
    const times = (level: 'info' | 'warn') => logged.filter((line) => line.level === level).length;
    await eventually(() => times('info') === 1);
    return { cache, logged, times };
  }

  const otherProcess = () => accountsUnitOfWork(other);

  async function newSession(userId = uuidV7() as UserId): Promise<Session> {
    const session = Session.start({
      id: uuidV7() as SessionId,
      userId,
      refreshTokenHash: `hash-${uuidV7()}` as RefreshTokenHash,
      now: new Date(),
      lifetimes: { absoluteSeconds: 3600, idleSeconds: 3600 },
      clientAddress: '::1',
      userAgent: 'test',
    });
    await otherProcess().run(({ sessions }) => sessions.add(session));
    return session;
  }

  async function revokedByTheOtherProcess(id: SessionId): Promise<void> {
    await otherProcess().run(async ({ sessions }) => {
      const session = await sessions.findById(id);
      session?.revoke(new Date());
      if (session) await sessions.save(session);
    });
  }

  test('a session revoked in another process is seen revoked here within moments', async () => {
    const { cache } = await cachingProcess();
    const session = await newSession();
    expect(await cache.statusOf(session.id)).toMatchObject({ revokedAt: null });
    expect(cache.size).toBe(1);

    await revokedByTheOtherProcess(session.id);

    await eventually(async () => (await cache.statusOf(session.id))?.revokedAt != null);
  });

  test("a user's sessions revoked (password change) or deleted (account deletion) elsewhere are dropped here", async () => {
    const { cache } = await cachingProcess();
    const alice = uuidV7() as UserId;
    const bob = uuidV7() as UserId;
    const alices = [await newSession(alice), await newSession(alice)];
    const bobs = await newSession(bob);
    for (const session of [...alices, bobs]) await cache.statusOf(session.id);
    expect(cache.size).toBe(3);

    await otherProcess().run(({ sessions }) => sessions.revokeAllOf(alice, new Date()));
    await eventually(async () => {
      const statuses = await Promise.all(alices.map((session) => cache.statusOf(session.id)));
      return statuses.every((status) => status?.revokedAt != null);
    });
    await otherProcess().run(({ sessions }) => sessions.removeAllOf(bob));
    await eventually(async () => (await cache.statusOf(bobs.id)) === undefined);
  });

  test('a lost listening connection: every request reads its session, and once listening again nothing kept from before is used', async () => {
    const proxy = TcpProxy.for(fresh.url);
    await proxy.up();
    try {
      const { cache, times } = await cachingProcess(proxy.via(fresh.url));
      const session = await newSession();
      await cache.statusOf(session.id);
      expect(cache.size).toBe(1);

      proxy.refuse();

      await eventually(() => times('warn') === 1);
      expect(cache.size).toBe(0);
      // Not answered from memory: read from the database, which cannot be reached.
      await expect(cache.statusOf(session.id)).rejects.toThrow(DatabaseUnavailable);
      // Revoked meanwhile: its notification goes to no one.
      await revokedByTheOtherProcess(session.id);
      // Several attempts to listen again fail meanwhile (back-off from 0.2 s); one line in the log.
      const before = proxy.refused;
      await eventually(() => proxy.refused >= before + 3);
      expect(times('warn')).toBe(1);

      await proxy.up();

      await eventually(() => times('info') === 2);
      expect(await cache.statusOf(session.id)).toMatchObject({ revokedAt: expect.any(Date) });
      expect(cache.size).toBe(1);
    } finally {
      await caching?.close();
      caching = undefined;
      await proxy.down();
    }
  });
});
