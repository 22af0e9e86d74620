import { ConcurrencyConflict } from '../../../building-blocks/application/concurrency-conflict.ts';
import { InMemoryStore } from '../../../building-blocks/application/testing/in-memory-store.ts';
import type { AggregateTracker } from '../../../building-blocks/application/unit-of-work.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import {
  type RefreshTokenHash,
  Session,
  type SessionId,
  type SessionState,
} from '../../domain/session.ts';
import type { SessionRepository } from '../ports.ts';
import type {
  SessionReadModel,
  SessionStatus,
  SessionView,
} from '../queries/session-read-model.ts';

/** The sessions table of the unit tests, with the hashes each session retired. */
export class InMemorySessionStore extends InMemoryStore<
  SessionId,
  SessionState & { retired: RefreshTokenHash[] }
> {}

/** The session of a stored row (without the hashes it retired). */
function restore({ retired: _, ...state }: SessionState & { retired: RefreshTokenHash[] }) {
  return Session.restore(state);
}

/** Fake of `SessionRepository` with the real one's rules: optimistic versions, retired hashes. */
export class InMemorySessionRepository implements SessionRepository {
  readonly #store: InMemorySessionStore;
  readonly #tracker: AggregateTracker;

  constructor(store: InMemorySessionStore, tracker: AggregateTracker) {
    this.#store = store;
    this.#tracker = tracker;
  }

  async add(session: Session): Promise<void> {
    this.#store.set(session.id, { ...session.toState(), version: 1, retired: [] });
    session.markStored(1);
    this.#tracker.track(session);
  }

  async findById(id: SessionId) {
    const stored = this.#store.get(id);
    return stored && this.#track(restore(stored));
  }

  async findByRefreshToken(hash: RefreshTokenHash) {
    for (const stored of this.#store.values()) {
      if (stored.refreshTokenHash === hash) {
        return { session: this.#track(restore(stored)), retired: false };
      }
      if (stored.retired.includes(hash)) {
        return { session: this.#track(restore(stored)), retired: true };
      }
    }
    return undefined;
  }

  async save(session: Session): Promise<void> {
    const stored = this.#store.get(session.id);
    if (stored?.version !== session.version) throw new ConcurrencyConflict('The session');
    const retired = session.retiredRefreshTokenHash;
    const next = session.version + 1;
    this.#store.set(session.id, {
      ...session.toState(),
      version: next,
      retired: retired ? [...stored.retired, retired] : stored.retired,
    });
    session.markStored(next);
    this.#tracker.track(session);
  }

  async revokeAllOf(userId: UserId, now: Date, options: { except?: SessionId } = {}) {
    for (const stored of this.#store.values()) {
      if (stored.userId !== userId || stored.id === options.except || stored.revokedAt) continue;
      this.#store.set(stored.id, { ...stored, revokedAt: now, version: stored.version + 1 });
    }
  }

  async removeAllOf(userId: UserId): Promise<void> {
    for (const stored of this.#store.values()) {
      if (stored.userId === userId) this.#store.delete(stored.id);
    }
  }

  #track(session: Session): Session {
    this.#tracker.track(session);
    return session;
  }
}

export class InMemorySessionReadModel implements SessionReadModel {
  readonly #store: InMemorySessionStore;

  constructor(store: InMemorySessionStore) {
    this.#store = store;
  }

  async statusOf(id: SessionId): Promise<SessionStatus | undefined> {
    const stored = this.#store.get(id);
    return (
      stored && {
        userId: stored.userId,
        revokedAt: stored.revokedAt,
        expiresAt: stored.expiresAt,
        idleExpiresAt: stored.idleExpiresAt,
      }
    );
  }

  async activeSessionsOf(userId: UserId, now: Date): Promise<SessionView[]> {
    return this.#store
      .values()
      .filter((s) => s.userId === userId && restore(s).isActiveAt(now))
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime())
      .map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        clientAddress: s.clientAddress,
        userAgent: s.userAgent,
      }));
  }
}
