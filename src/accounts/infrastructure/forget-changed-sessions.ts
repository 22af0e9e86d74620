import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { AccountsUnitOfWork, SessionRepository } from '../application/ports.ts';
import type { Session, SessionId } from '../domain/session.ts';
import type { SessionChangeSink } from './session-status-cache.ts';

/**
 * The unit of work of `accounts`, telling this process's session cache which sessions it
 * changed once it is over (committed, or rolled back: forgetting more than needed costs one
 * read). Other processes hear of the change through the notification sent on COMMIT; this
 * one must not wait for it: the next request after a logout answered 204 must be refused,
 * even if it arrives before the notification.
 *
 * Not before the COMMIT: a read between the forgetting and the COMMIT would see the session
 * as it was and keep it.
 */
export function forgettingChangedSessions(
  uow: AccountsUnitOfWork,
  cache: SessionChangeSink,
): AccountsUnitOfWork {
  return {
    async run(work) {
      const changes: (() => void)[] = [];
      try {
        return await uow.run((repositories) =>
          work({
            ...repositories,
            sessions: new ChangeRecordingSessions(repositories.sessions, changes, cache),
          }),
        );
      } finally {
        for (const forget of changes) forget();
      }
    },
  };
}

/** Every write of a session goes through here: each one that can end a session is noted. */
class ChangeRecordingSessions implements SessionRepository {
  readonly #sessions: SessionRepository;
  readonly #changes: (() => void)[];
  readonly #cache: SessionChangeSink;

  constructor(sessions: SessionRepository, changes: (() => void)[], cache: SessionChangeSink) {
    this.#sessions = sessions;
    this.#changes = changes;
    this.#cache = cache;
  }

  /** A new session is in no cache. */
  add(session: Session): Promise<void> {
    return this.#sessions.add(session);
  }

  findById(id: SessionId) {
    return this.#sessions.findById(id);
  }

  findByRefreshToken(hash: Parameters<SessionRepository['findByRefreshToken']>[0]) {
    return this.#sessions.findByRefreshToken(hash);
  }

  save(session: Session): Promise<void> {
    this.#changes.push(() => this.#cache.sessionChanged(session.id));
    return this.#sessions.save(session);
  }

  revokeAllOf(userId: UserId, now: Date, options?: { except?: SessionId }): Promise<void> {
    this.#changes.push(() => this.#cache.sessionsOfUserChanged(userId));
    return this.#sessions.revokeAllOf(userId, now, options);
  }

  removeAllOf(userId: UserId): Promise<void> {
    this.#changes.push(() => this.#cache.sessionsOfUserChanged(userId));
    return this.#sessions.removeAllOf(userId);
  }
}
