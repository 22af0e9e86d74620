import type { ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { Busy, ScreenHeading } from './components/ui';
import { Account } from './screens/account';
import { LogIn, SignUp } from './screens/credentials';
import { ProjectScreen } from './screens/project';
import { Projects } from './screens/projects';
import { useSessionState } from './session/session-context';

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
        {({ projectId }) => (
          <SignedIn>
            <ProjectScreen key={projectId} projectId={Number(projectId)} />
          </SignedIn>
        )}
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
        <ScreenHeading>Page not found</ScreenHeading>
      </Route>
    </Switch>
  );
}

/**
 * A screen for a signed-in person. Anyone else goes to the log-in screen, which brings them
 * back here afterwards; so does a session that ends while the screen is open.
 */
function SignedIn({ children }: { children: ReactNode }) {
  const state = useSessionState();
  const [location] = useLocation();
  if (state === 'unknown') return <Busy />;
  if (state === 'signed-out') {
    return <Redirect to={`/login?next=${encodeURIComponent(location)}`} replace />;
  }
  return children;
}
