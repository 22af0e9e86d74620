import type { Clock } from '../../../building-blocks/application/clock.ts';
import type { Caller } from '../../../shared-kernel/application/authenticator.ts';
import type { SessionReadModel, SessionView } from './session-read-model.ts';

export interface SessionList {
  sessions: (SessionView & { current: boolean })[];
}

/** The caller's active sessions, the one they ask from marked `current`. */
export async function listSessions(
  caller: Caller,
  { sessions, clock }: { sessions: SessionReadModel; clock: Clock },
): Promise<SessionList> {
  const active = await sessions.activeSessionsOf(caller.userId, clock.now());
  return {
    sessions: active.map((session) => ({ ...session, current: session.id === caller.sessionId })),
  };
}
