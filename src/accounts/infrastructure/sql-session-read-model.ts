import type { Kysely } from 'kysely';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { ReadConnection } from '../../building-blocks/infrastructure/database/read-connection.ts';
import {
  isoTimestamp,
  readOptionalTimestamp,
  readTimestamp,
} from '../../building-blocks/infrastructure/database/timestamps.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type {
  SessionReadModel,
  SessionStatus,
  SessionView,
} from '../application/queries/session-read-model.ts';
import type { SessionId } from '../domain/session.ts';
import type { AccountsTables } from './tables.ts';

type Db = Kysely<AccountsTables>;

const statusById = preparedQuery((db: Db, param: Param<{ id: string }>) =>
  db
    .selectFrom('accounts.sessions')
    .select(['user_id', 'revoked_at', 'expires_at', 'idle_expires_at'])
    .where('id', '=', param('id')),
);

// Timestamps compare as values on PostgreSQL and as ISO-8601 text (one format) on SQLite.
const activeSessionsOfUser = preparedQuery(
  (db: Db, param: Param<{ userId: string; now: string }>) =>
    db
      .selectFrom('accounts.sessions')
      .select(['id', 'created_at', 'last_used_at', 'client_address', 'user_agent'])
      .where('user_id', '=', param('userId'))
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', param('now'))
      .where('idle_expires_at', '>', param('now'))
      .orderBy('last_used_at', 'desc')
      .orderBy('id'),
);

/** Plain selects on the read connection: the status of one session, the list of a user's. */
export class SqlSessionReadModel implements SessionReadModel {
  readonly #reads: ReadConnection;

  constructor(reads: ReadConnection) {
    this.#reads = reads;
  }

  async statusOf(id: SessionId): Promise<SessionStatus | undefined> {
    const [row] = await statusById.read(this.#reads, { id });
    return (
      row && {
        userId: row.user_id as UserId,
        revokedAt: readOptionalTimestamp(row.revoked_at),
        expiresAt: readTimestamp(row.expires_at),
        idleExpiresAt: readTimestamp(row.idle_expires_at),
      }
    );
  }

  async activeSessionsOf(userId: UserId, now: Date): Promise<SessionView[]> {
    const rows = await activeSessionsOfUser.read(this.#reads, {
      userId,
      now: now.toISOString(),
    });
    return rows.map((row) => ({
      id: row.id,
      createdAt: isoTimestamp(row.created_at),
      lastUsedAt: isoTimestamp(row.last_used_at),
      clientAddress: row.client_address,
      userAgent: row.user_agent,
    }));
  }
}
