import { type FormEvent, useEffect, useState } from 'react';
import { problemOf, unwrap } from '../api/problems';
import type { components } from '../api/schema';
import { useAction } from '../components/action';
import { ActionButton, Alert, Busy, Field, ScreenHeading } from '../components/ui';
import { useSession } from '../session/session-context';
import { Sessions } from './sessions';

type CurrentUser = components['schemas']['CurrentUser'];

/** My account: the email address, the password, my sessions, and deleting it all. */
export function Account() {
  const { api } = useSession();
  const [user, setUser] = useState<CurrentUser>();
  const [problem, setProblem] = useState<string>();
  const [passwordChanges, setPasswordChanges] = useState(0);

  useEffect(() => {
    api
      .GET('/api/users/me')
      .then(unwrap)
      .then(setUser)
      .catch((error: unknown) => setProblem(problemOf(error).detail));
  }, [api]);

  return (
    <div className="screen">
      <ScreenHeading>Your account</ScreenHeading>
      {user ? (
        <ChangeEmail user={user} onChanged={setUser} />
      ) : problem ? (
        <Alert>{problem}</Alert>
      ) : (
        <Busy>Loading your account…</Busy>
      )}
      <ChangePassword onChanged={() => setPasswordChanges((n) => n + 1)} />
      {/* A password change ends the other sessions: the list is read again. */}
      <Sessions key={passwordChanges} />
      <DeleteAccount />
    </div>
  );
}

function ChangeEmail({
  user,
  onChanged,
}: {
  user: CurrentUser;
  onChanged: (user: CurrentUser) => void;
}) {
  const { api } = useSession();
  const [email, setEmail] = useState(user.email);
  const [saved, setSaved] = useState(false);
  const action = useAction({
    'email-already-taken': 'email',
    'invalid-email-address': 'email',
  });

  const [unchanged, setUnchanged] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // The address it is already (as the service compares them: trimmed, in any case).
    const same = email.trim().toLowerCase() === user.email.toLowerCase();
    setUnchanged(same);
    if (same) return;
    const changed = await action.run(async () =>
      onChanged(unwrap(await api.PUT('/api/users/me', { body: { email } }))),
    );
    setSaved(changed);
  };
  const { fields = {}, form } = action.problem ?? {};
  return (
    <form onSubmit={submit} noValidate aria-labelledby="email-heading" className="panel">
      <h2 id="email-heading">Email address</h2>
      <p>
        You log in as <strong>{user.email}</strong>.
      </p>
      <Field
        label="New email address"
        type="email"
        name="email"
        autoComplete="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fields.email}
      />
      <Alert>{form}</Alert>
      <p role="status">
        {saved && 'Your email address is changed.'}
        {unchanged && 'That is already your email address.'}
      </p>
      <ActionButton type="submit" busy={action.busy}>
        {action.busy ? 'Saving…' : 'Change email address'}
      </ActionButton>
    </form>
  );
}

function ChangePassword({ onChanged }: { onChanged: () => void }) {
  const { api } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [saved, setSaved] = useState(false);
  const action = useAction({
    'incorrect-password': 'currentPassword',
    'password-rules-not-met': 'newPassword',
    'password-too-common': 'newPassword',
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const changed = await action.run(async () =>
      unwrap(await api.PUT('/api/users/me/password', { body: { currentPassword, newPassword } })),
    );
    if (changed) {
      setCurrent('');
      setNew('');
      onChanged();
    }
    setSaved(changed);
  };
  const { fields = {}, form } = action.problem ?? {};
  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-heading" className="panel">
      <h2 id="password-heading">Password</h2>
      <Field
        label="Current password"
        type="password"
        name="currentPassword"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(event) => setCurrent(event.target.value)}
        error={fields.currentPassword}
      />
      <Field
        label="New password"
        type="password"
        name="newPassword"
        autoComplete="new-password"
        hint="8 to 128 characters, not a common password. Your other sessions end."
        value={newPassword}
        onChange={(event) => setNew(event.target.value)}
        error={fields.newPassword}
      />
      <Alert>{form}</Alert>
      <p role="status">{saved && 'Your password is changed: your other sessions have ended.'}</p>
      <ActionButton type="submit" busy={action.busy}>
        {action.busy ? 'Saving…' : 'Change password'}
      </ActionButton>
    </form>
  );
}

function DeleteAccount() {
  const session = useSession();
  const [password, setPassword] = useState('');
  const action = useAction({ 'incorrect-password': 'password' });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      unwrap(await session.api.DELETE('/api/users/me', { body: { password } }));
      // This screen then sends the person on to the log-in screen that says so (SignedIn).
      session.signedOut('account-deleted');
    });
  };
  const { fields = {}, form } = action.problem ?? {};
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="delete-heading"
      className="panel danger-zone"
    >
      <h2 id="delete-heading">Delete your account</h2>
      <p>Your account, your projects and their tasks are deleted for good.</p>
      <Field
        label="Your password, to confirm"
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fields.password}
      />
      <Alert>{form}</Alert>
      <ActionButton type="submit" className="danger" busy={action.busy}>
        {action.busy ? 'Deleting…' : 'Delete my account'}
      </ActionButton>
    </form>
  );
}
