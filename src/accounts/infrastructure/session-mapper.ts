import type { Insertable, Selectable } from 'kysely';
import {
  readOptionalTimestamp,
  readTimestamp,
} from '../../building-blocks/infrastructure/database/timestamps.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { type RefreshTokenHash, Session, type SessionId } from '../domain/session.ts';
import type { SessionsTable } from './tables.ts';

export function toRow(session: Session): Insertable<SessionsTable> {
  const state = session.toState();
  return {
    id: state.id,
    user_id: state.userId,
    refresh_token_hash: state.refreshTokenHash,
    created_at: state.createdAt.toISOString(),
    last_used_at: state.lastUsedAt.toISOString(),
    expires_at: state.expiresAt.toISOString(),
    idle_expires_at: state.idleExpiresAt.toISOString(),
    revoked_at: state.revokedAt?.toISOString() ?? null,
    client_address: state.clientAddress,
    user_agent: state.userAgent,
    version: state.version,
  };
}

export function fromRow(row: Selectable<SessionsTable>): Session {
  return Session.restore({
    id: row.id as SessionId,
    userId: row.user_id as UserId,
    refreshTokenHash: row.refresh_token_hash as RefreshTokenHash,
    createdAt: readTimestamp(row.created_at),
    lastUsedAt: readTimestamp(row.last_used_at),
    expiresAt: readTimestamp(row.expires_at),
    idleExpiresAt: readTimestamp(row.idle_expires_at),
    revokedAt: readOptionalTimestamp(row.revoked_at),
    clientAddress: row.client_address,
    userAgent: row.user_agent,
    version: row.version,
  });
}
