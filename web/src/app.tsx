import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { problemOf } from './api/problems';
import { ActionButton, Alert } from './components/ui';
import { Routes } from './routes';
import { useSession, useSessionState } from './session/session-context';

/** The frame of every screen: the header with what a signed-in person can reach, then the screen. */
export function App() {
  const [notLoggedOut, setNotLoggedOut] = useState<string>();
  const signedIn = useSessionState() === 'signed-in';
  // Said on the screen where the log-out failed; another screen starts afresh.
  const [location] = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new screen clears it.
  useEffect(() => setNotLoggedOut(undefined), [location]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <Header onLogOutFailed={setNotLoggedOut} />
      <main id="main">
        {signedIn && notLoggedOut && <Alert>{notLoggedOut}</Alert>}
        <Routes />
      </main>
    </>
  );
}

function Header({ onLogOutFailed }: { onLogOutFailed: (problem: string | undefined) => void }) {
  const session = useSession();
  const state = useSessionState();
  const [leaving, setLeaving] = useState(false);
  const [, navigate] = useLocation();
  const logOut = async () => {
    setLeaving(true);
    onLogOutFailed(undefined);
    try {
      await session.logOut();
      navigate('/login', { replace: true });
    } catch (error) {
      // The session lives on in the service and in the browser's cookie: whoever uses this
      // browser next would be let in. Say so; the person stays signed in and can try again.
      onLogOutFailed(`You are still logged in: ${problemOf(error).detail}`);
    } finally {
      setLeaving(false);
    }
  };
  return (
    <header className="top">
      <Link href="/" className="brand">
        Taskflow
      </Link>
      {state === 'signed-in' && (
        <nav aria-label="Main">
          <NavLink href="/projects">Projects</NavLink>
          <NavLink href="/account">Account</NavLink>
          <ActionButton className="link" onClick={logOut} busy={leaving}>
            {leaving ? 'Logging out…' : 'Log out'}
          </ActionButton>
        </nav>
      )}
    </header>
  );
}

/** A link of the main navigation; the one of the screen shown says so to assistive technology. */
function NavLink({ href, children }: { href: string; children: string }) {
  const [location] = useLocation();
  const current = location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
