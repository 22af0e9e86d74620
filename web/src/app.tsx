import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { Routes } from './routes';
import { useSession, useSessionState } from './session/session-context';

/** The frame of every screen: the header with what a signed-in person can reach, then the screen. */
export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <Header />
      <main id="main">
        <Routes />
      </main>
    </>
  );
}

function Header() {
  const session = useSession();
  const state = useSessionState();
  const [leaving, setLeaving] = useState(false);
  const [, navigate] = useLocation();
  const logOut = async () => {
    setLeaving(true);
    // Signed out here even when the service cannot be reached: the token is forgotten.
    await session.logOut().catch(() => undefined);
    setLeaving(false);
    navigate('/login', { replace: true });
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
          <button type="button" className="link" onClick={logOut} disabled={leaving}>
            {leaving ? 'Logging out…' : 'Log out'}
          </button>
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
