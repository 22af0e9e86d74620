import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { SessionId } from '../../domain/session.ts';

/** A session as its owner sees it in their list. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  clientAddress: string;
  userAgent: string;
}

/** What the check on each request needs: whose session it is and whether it still runs. */
export interface SessionStatus {
  userId: UserId;
  revokedAt: Date | null;
  expiresAt: Date;
  idleExpiresAt: Date;
}

/** Reads of the sessions table that skip the aggregate (CQRS). */
export interface SessionReadModel {
  /**
   * Asked on every authenticated request: the status as last committed, or as kept by an
   * adapter that forgets it when the session changes (ADR 19).
   */
  statusOf(id: SessionId): Promise<SessionStatus | undefined>;
  /** The user's sessions active at `now`, the most recently used first. */
  activeSessionsOf(userId: UserId, now: Date): Promise<SessionView[]>;
}

export function isActive(status: SessionStatus, now: Date): boolean {
  return status.revokedAt === null && now < status.expiresAt && now < status.idleExpiresAt;
}
