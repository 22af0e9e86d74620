import type { Clock } from '../../../building-blocks/application/clock.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { SessionNotFound } from '../../domain/errors.ts';
import type { SessionId } from '../../domain/session.ts';
import type { AccountsUnitOfWork } from '../ports.ts';

/** Ending one of the caller's sessions, by its id (logging out goes through `LogOut`). */
export interface RevokeSession {
  userId: UserId;
  sessionId: string;
}

export const RevokeSession = commandType<RevokeSession>('accounts.RevokeSession');

/** Someone else's session answers exactly like a missing one. */
export async function revokeSession(
  command: RevokeSession,
  { uow, clock }: { uow: AccountsUnitOfWork; clock: Clock },
): Promise<void> {
  await uow.run(async ({ sessions }) => {
    const session = await sessions.findById(command.sessionId as SessionId);
    const now = clock.now();
    if (!session || session.userId !== command.userId || !session.isActiveAt(now)) {
      throw new SessionNotFound();
    }
    session.revoke(now);
    await sessions.save(session);
  });
}
