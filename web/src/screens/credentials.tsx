import { type FormEvent, useState } from 'react';
import { Link, Redirect, useSearchParams } from 'wouter';
import { useAction } from '../components/action';
import { ActionButton, Alert, Field, ScreenHeading } from '../components/ui';
import { useSession, useSessionState } from '../session/session-context';
import { pathAfterLogIn } from './path-after-log-in';

/** Where to go after logging in: the screen that sent the person here, else their projects. */
function useNext(): string {
  const [params] = useSearchParams();
  return pathAfterLogIn(params.get('next'), window.location.origin);
}

const FIELD_OF_CODE = {
  'invalid-credentials': 'password',
  'too-many-login-attempts': 'password',
  'email-already-taken': 'email',
  'invalid-email-address': 'email',
  'password-rules-not-met': 'password',
  'password-too-common': 'password',
};

/** Log in and sign up: the same two fields, a different call. */
function CredentialsForm({ mode }: { mode: 'log-in' | 'sign-up' }) {
  const session = useSession();
  const state = useSessionState();
  const next = useNext();
  const [params] = useSearchParams();
  const deleted = params.get('account') === 'deleted';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(FIELD_OF_CODE);
  const signingUp = mode === 'sign-up';

  if (state === 'signed-in') return <Redirect to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(() =>
      signingUp ? session.signUp(email, password) : session.logIn(email, password),
    );
  };
  const { fields = {}, form } = action.problem ?? {};
  return (
    <div className="screen narrow">
      <ScreenHeading>{signingUp ? 'Create your account' : 'Log in'}</ScreenHeading>
      {deleted && (
        <p className="notice">Your account has been deleted, with your projects and their tasks.</p>
      )}
      {!signingUp && !deleted && session.endedElsewhere && (
        <p className="notice">
          Your session has ended: you logged out in another tab, changed your password, or ended
          this session from another device. Log in again to go on.
        </p>
      )}
      {!signingUp && next !== '/projects' && <p>Log in to continue.</p>}
      <form onSubmit={submit} noValidate>
        <Field
          label="Email address"
          type="email"
          name="email"
          autoComplete={signingUp ? 'email' : 'username'}
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fields.email ?? fields.username}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete={signingUp ? 'new-password' : 'current-password'}
          required
          hint={signingUp ? '8 to 128 characters, not a common password.' : undefined}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields.password}
        />
        <Alert>{form}</Alert>
        <ActionButton type="submit" busy={action.busy}>
          {action.busy
            ? signingUp
              ? 'Creating your account…'
              : 'Logging in…'
            : signingUp
              ? 'Sign up'
              : 'Log in'}
        </ActionButton>
      </form>
      <p>
        {signingUp ? (
          <>
            Already have an account? <Link href="/login">Log in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/signup">Create an account</Link>
          </>
        )}
      </p>
    </div>
  );
}

export const LogIn = () => <CredentialsForm mode="log-in" />;
export const SignUp = () => <CredentialsForm mode="sign-up" />;
