import type { Clock } from '../../building-blocks/application/clock.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type {
  SessionReadModel,
  SessionStatus,
  SessionView,
} from '../application/queries/session-read-model.ts';
import type { SessionId } from '../domain/session.ts';

export interface SessionCacheLimits {
  /** The longest a status is kept, even if no change is heard of (a safety net). */
  maxAgeMs: number;
  /** The most statuses kept; past it, the oldest goes. */
  maxEntries: number;
}

/** What the cache must forget: told by the change feed and by this process's own writes. */
export interface SessionChangeSink {
  sessionChanged(id: SessionId): void;
  sessionsOfUserChanged(userId: UserId): void;
}

/**
 * The session read model with the status of recently seen sessions kept in memory, so an
 * authenticated request makes no round trip for its session (ADR 19). On PostgreSQL every
 * change to a session row is notified to every process on COMMIT; on a SQLite file, the
 * file says whether anything at all was committed to it since the last look (ADR 22).
 *
 * What keeps it from answering for a session that has changed:
 * - a change heard of (`sessionChanged`, `sessionsOfUserChanged`) drops the status, and
 *   `forgetAll` drops every status;
 * - while changes cannot be heard of (`notListening`, and before the first `listening`)
 *   every request reads the session, as without the cache; back to `listening`, everything
 *   kept is dropped (changes may have been missed meanwhile);
 * - a read stores what it read only if no change was heard of while it ran (the generation
 *   did not move): a read that saw the session active, answered after a revocation was
 *   heard of, would otherwise store a status that no notification will come to remove;
 * - a status is kept `maxAgeMs` at most.
 * Expiry by time is not cached: the caller compares the status with the time of each request.
 */
export class CachedSessionReadModel implements SessionReadModel, SessionChangeSink {
  readonly #source: SessionReadModel;
  readonly #clock: Clock;
  readonly #limits: SessionCacheLimits;
  /** In the order stored: the first is the oldest. */
  readonly #entries = new Map<SessionId, { status: SessionStatus; readAt: number }>();
  #listening = false;
  /** Moves on every change heard of and on every change of `#listening`. */
  #generation = 0;

  constructor(source: SessionReadModel, clock: Clock, limits: SessionCacheLimits) {
    this.#source = source;
    this.#clock = clock;
    this.#limits = limits;
  }

  async statusOf(id: SessionId): Promise<SessionStatus | undefined> {
    if (!this.#listening) return this.#source.statusOf(id);
    const now = this.#clock.now().getTime();
    const kept = this.#entries.get(id);
    // (A wall clock set back must not make a status young again.)
    if (kept && kept.readAt <= now && now - kept.readAt < this.#limits.maxAgeMs) {
      return kept.status;
    }
    const generation = this.#generation;
    const status = await this.#source.statusOf(id);
    if (status && generation === this.#generation) this.#keep(id, status, now);
    return status;
  }

  activeSessionsOf(userId: UserId, now: Date): Promise<SessionView[]> {
    return this.#source.activeSessionsOf(userId, now);
  }

  sessionChanged(id: SessionId): void {
    this.#generation++;
    this.#entries.delete(id);
  }

  /** Rare (a password change, an account deletion): a walk over the entries will do. */
  sessionsOfUserChanged(userId: UserId): void {
    this.#generation++;
    for (const [id, { status }] of this.#entries) {
      if (status.userId === userId) this.#entries.delete(id);
    }
  }

  listening(): void {
    this.forgetAll();
    this.#listening = true;
  }

  notListening(): void {
    this.forgetAll();
    this.#listening = false;
  }

  /** Any session may have changed (SQLite: something was committed to the file). */
  forgetAll(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** How many statuses are kept (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  #keep(id: SessionId, status: SessionStatus, readAt: number): void {
    this.#entries.delete(id);
    if (this.#entries.size >= this.#limits.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, { status, readAt });
  }
}
