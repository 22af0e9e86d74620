import type { Logger } from '../../building-blocks/application/logger.ts';
import type { Database } from '../../building-blocks/infrastructure/database/database.ts';
import type { SessionReadModel } from '../application/queries/session-read-model.ts';
import type { SessionId } from '../domain/session.ts';
import type { CachedSessionReadModel } from './session-status-cache.ts';

/**
 * The channel the trigger on `accounts.sessions` notifies with the id of each session row
 * updated or deleted (migration `20261201-01-accounts-session-change-notifications`).
 */
export const SESSION_CHANGES_CHANNEL = 'accounts_session_changed';

/**
 * Tells the cache of every change to a session that any process commits, and whether it can
 * hear them at all. An outage is logged once, when it starts.
 */
export function hearSessionChanges(
  database: Database,
  cache: CachedSessionReadModel,
  log: Logger,
): void {
  database.listen?.(SESSION_CHANGES_CHANNEL, {
    listening() {
      cache.listening();
      log.info({}, 'listening for session changes: session statuses are cached');
    },
    notListening(cause) {
      cache.notListening();
      log.warn(
        { cause: cause.message },
        'not listening for session changes: every request reads its session until the connection is back',
      );
    },
    notified(payload) {
      cache.sessionChanged(payload as SessionId);
    },
  });
}

/**
 * SQLite has no notifications, but a file knows whether anything was committed to it since
 * the last look (`Database.dataVersion`), by this process or any other. Before each status is
 * looked up, the version is compared with the one last seen; if it moved, everything kept is
 * forgotten (a commit of anything, not only of a session: the file does not say what).
 * The version is read in the turn's read snapshot, the one the session's row would be read
 * in: an unchanged version means that row is unchanged too.
 */
export function forgettingOnFileChange(
  cache: CachedSessionReadModel,
  dataVersion: () => number,
): SessionReadModel {
  let seen: number | undefined;
  cache.listening();
  return {
    statusOf(id) {
      const version = dataVersion();
      if (version !== seen) {
        seen = version;
        cache.forgetAll();
      }
      return cache.statusOf(id);
    },
    activeSessionsOf: (userId, now) => cache.activeSessionsOf(userId, now),
  };
}
