import { useEffect, useRef, useState } from 'react';
import { problemOf, unwrap } from '../api/problems';
import type { components } from '../api/schema';
import { useAction } from '../components/action';
import { ActionButton, Alert, Busy, DateTime } from '../components/ui';
import { useSession } from '../session/session-context';
import { describeUserAgent } from './user-agent';

type SessionView = components['schemas']['SessionList']['sessions'][number];

/**
 * Where I am logged in, and a way to end any of those sessions but this one. Read when shown:
 * whoever ends other sessions otherwise (a password change) shows it anew (a new `key`).
 */
export function Sessions() {
  const { api } = useSession();
  const [sessions, setSessions] = useState<SessionView[]>();
  const [problem, setProblem] = useState<string>();
  // A session ended takes its focused button with it: the focus goes to the list's heading,
  // not to the page.
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    api
      .GET('/api/users/me/sessions')
      .then(unwrap)
      .then(({ sessions }) => setSessions(sessions))
      .catch((error: unknown) => setProblem(problemOf(error).detail));
  }, [api]);

  return (
    <section aria-labelledby="sessions-heading" className="panel">
      <h2 id="sessions-heading" ref={heading} tabIndex={-1}>
        Sessions
      </h2>
      {sessions ? (
        <ul className="sessions">
          {sessions.map((session) => (
            <SessionItem
              key={session.id}
              session={session}
              // From the list as it is when the answer comes: another may have ended meanwhile.
              onEnded={() => {
                setSessions((now) => now?.filter((other) => other.id !== session.id));
                heading.current?.focus();
              }}
            />
          ))}
        </ul>
      ) : problem ? null : (
        <Busy>Loading your sessions…</Busy>
      )}
      <Alert>{problem}</Alert>
    </section>
  );
}

function SessionItem({ session, onEnded }: { session: SessionView; onEnded: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const end = () =>
    action.run(async () => {
      unwrap(
        await api.DELETE('/api/users/me/sessions/{sessionId}', {
          params: { path: { sessionId: session.id } },
        }),
      );
      onEnded();
    });
  const browser = describeUserAgent(session.userAgent);
  return (
    <li>
      <p>
        {/* The string as sent, for whoever wants the details, on hover. */}
        <strong title={session.userAgent || undefined}>{browser}</strong>
        {session.current && <span className="badge">This session</span>}
      </p>
      <p className="meta">
        From {session.clientAddress}; started <DateTime iso={session.createdAt} />, last used{' '}
        <DateTime iso={session.lastUsedAt} />
      </p>
      {!session.current && (
        <ActionButton
          className="secondary"
          busy={action.busy}
          onClick={end}
          // Several sessions, several buttons: each names its own (beginning with what it shows).
          aria-label={`End this session: ${browser}, from ${session.clientAddress}`}
        >
          End this session
        </ActionButton>
      )}
      <Alert>{action.problem?.form}</Alert>
    </li>
  );
}
