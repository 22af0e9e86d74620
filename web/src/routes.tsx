import type { ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { Busy, ScreenHeading } from './components/ui';
import { Account } from './screens/account';
import { LogIn, SignUp } from './screens/credentials';
import { ProjectScreen } from './screens/project';
import { Projects } from './screens/projects';
import { useSession, useSessionState } from './session/session-context';

/**
 * The screens, by path. The service answers these paths with this client's page
 * (WEB_CLIENT_PATHS in src/building-blocks/http/web-client.ts): keep the two lists alike.
 */
export function Routes() {
  return (
    <Switch>
      <Route path="/login" component={LogIn} />
      <Route path="/signup" component={SignUp} />
      <Route path="/projects">
        <SignedIn>
          <Projects />
        </SignedIn>
      </Route>
      <Route path="/projects/:projectId">
        {({ projectId }) => {
          const id = projectIdOf(projectId);
          return id === undefined ? (
            <NotFound />
          ) : (
            <SignedIn>
              <ProjectScreen key={id} projectId={id} />
            </SignedIn>
          );
        }}
      </Route>
      <Route path="/account">
        <SignedIn>
          <Account />
        </SignedIn>
      </Route>
      <Route path="/">
        <Redirect to="/projects" replace />
      </Route>
      <Route>
        <NotFound />
      </Route>
    </Switch>
  );
}

function NotFound() {
  return <ScreenHeading>Page not found</ScreenHeading>;
}

/** The log-in screen, saying that the account was deleted (see credentials.tsx). */
const ACCOUNT_DELETED_PATH = '/login?account=deleted';

/** The largest project id (the API's: PostgreSQL `integer`). */
const MAX_PROJECT_ID = 2_147_483_647;

/**
 * The project id a path names, written as the API takes it (decimal digits, no leading zero,
 * from 1 to 2,147,483,647); anything else (`abc`, `0`, `01`, `1.5`) names no project, and is
 * a page not found rather than the API's complaint about its parameter.
 */
function projectIdOf(segment: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(segment)) return undefined;
  const id = Number(segment);
  return id <= MAX_PROJECT_ID ? id : undefined;
}

/**
 * A screen for a signed-in person. Anyone else goes to the log-in screen, which brings them
 * back here afterwards; so does a session that ends while the screen is open. After the
 * account is deleted, the log-in screen says so instead, and brings no one back here.
 */
function SignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const state = useSessionState();
  const [location] = useLocation();
  if (state === 'unknown') return <Busy />;
  if (state === 'signed-out') {
    if (session.accountDeleted) return <Redirect to={ACCOUNT_DELETED_PATH} replace />;
    return <Redirect to={`/login?next=${encodeURIComponent(location)}`} replace />;
  }
  return children;
}
