import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { Session } from '../session/session';
import { SessionProvider } from '../session/session-context';
import { LogIn } from './credentials';

afterEach(cleanup);

/** A service whose token route refuses every password with its problem document. */
function refusingService(detail: string) {
  let answer: (response: Response) => void = () => undefined;
  const fetch = () =>
    new Promise<Response>((resolve) => {
      answer = resolve;
    });
  const refuse = () =>
    answer(
      Response.json(
        {
          type: '/problems#invalid-credentials',
          title: 'Unauthorized',
          status: 401,
          code: 'invalid-credentials',
          detail,
        },
        { status: 401, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
  return { session: new Session({ baseUrl: 'http://taskflow.test', fetch }), refuse };
}

describe('the log-in screen', () => {
  test('says why, when the session ended elsewhere; not after a log-out here', () => {
    const { session } = refusingService('unused');
    session.signedOut('ended');
    const { unmount } = render(
      <SessionProvider session={session}>
        <LogIn />
      </SessionProvider>,
    );
    expect(screen.getByText(/Your session has ended/)).toBeTruthy();
    unmount();

    session.signedOut();
    render(
      <SessionProvider session={session}>
        <LogIn />
      </SessionProvider>,
    );
    expect(screen.queryByText(/Your session has ended/)).toBeNull();
  });

  test('shows progress while waiting, then the refusal beside the password, announced and tied to the field', async () => {
    const { session, refuse } = refusingService('Invalid email or password');
    render(
      <SessionProvider session={session}>
        <LogIn />
      </SessionProvider>,
    );
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Log in' }));

    fireEvent.change(screen.getByLabelText('Email address'), {
      target: { value: 'ann@example.com' },
    });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Log in' }));
    const button = await screen.findByRole('button', { name: 'Logging in…' });
    expect(button.getAttribute('aria-disabled')).toBe('true');

    await act(async () => refuse());
    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(password.getAttribute('aria-describedby') ?? '');
    expect(error?.textContent).toBe('Invalid email or password');
    expect(error?.getAttribute('role')).toBe('alert');
    expect(screen.getByRole('button', { name: 'Log in' }).getAttribute('aria-disabled')).toBe(null);
  });
});
