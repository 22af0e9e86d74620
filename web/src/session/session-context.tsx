import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { Session, SessionState } from './session';

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext value={session}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

/** The session's state, re-rendering when it changes (a log-in, a log-out, an ended session). */
export function useSessionState(): SessionState {
  const session = useSession();
  return useSyncExternalStore(
    (onChange) => session.subscribe(onChange),
    () => session.state,
  );
}
