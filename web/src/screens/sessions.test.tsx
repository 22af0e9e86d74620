import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { Session } from '../session/session';
import { SessionProvider } from '../session/session-context';
import { Account } from './account';
import { Sessions } from './sessions';

afterEach(cleanup);

const sessionView = (id: string, userAgent: string, current = false) => ({
  id,
  current,
  userAgent,
  clientAddress: '203.0.113.7',
  createdAt: '2026-12-01T10:00:00.000Z',
  lastUsedAt: '2026-12-01T11:00:00.000Z',
});

/**
 * The service's routes these screens call: the sessions listed are those not ended yet, and
 * each ending is answered only when the test says so (`answerEnding`).
 */
function fakeService(userAgents: string[]) {
  const ids = ['00000000-0000-7000-8000-00000000000a', ...userAgents.map((_, i) => `0000000${i}`)];
  let live = [sessionView(ids[0] as string, 'This browser', true)].concat(
    userAgents.map((agent, i) => sessionView(ids[i + 1] as string, agent)),
  );
  const endings: (() => void)[] = [];
  let sessionLists = 0;
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/api/users/me/sessions') {
      sessionLists++;
      return Response.json({ sessions: live });
    }
    if (path.startsWith('/api/users/me/sessions/') && request.method === 'DELETE') {
      const id = path.split('/').at(-1);
      await new Promise<void>((resolve) => endings.push(resolve));
      live = live.filter((session) => session.id !== id);
      return new Response(null, { status: 204 });
    }
    if (path === '/api/users/me/password') {
      live = live.filter((session) => session.current);
      return new Response(null, { status: 204 });
    }
    if (path === '/api/users/me') {
      return Response.json({ id: ids[0], email: 'ann@example.com', projects: [] });
    }
    return new Response(null, { status: 404 });
  };
  const session = new Session({ baseUrl: 'http://taskflow.test', fetch });
  return {
    session,
    answerEnding: (index: number) => endings[index]?.(),
    sessionLists: () => sessionLists,
  };
}

const listed = () =>
  screen.getAllByRole('listitem').map((item) => item.querySelector('strong')?.textContent);

describe('the sessions list', () => {
  test('ending two sessions at once leaves neither on the list, whichever answer comes first', async () => {
    const service = fakeService(['Firefox on a phone', 'Safari on a laptop']);
    render(
      <SessionProvider session={service.session}>
        <Sessions />
      </SessionProvider>,
    );
    const endButtons = await screen.findAllByRole('button', { name: /^End this session/ });
    for (const button of endButtons) fireEvent.click(button);

    await act(async () => service.answerEnding(0));
    await act(async () => service.answerEnding(1));
    expect(listed()).toEqual(['This browser']);
    // Their buttons went with them: the focus is on the list's heading, not on the page.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Sessions' }));
  });

  test('names each browser as a person would, with the string it sent on hover', async () => {
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const service = fakeService([firefox]);
    render(
      <SessionProvider session={service.session}>
        <Sessions />
      </SessionProvider>,
    );

    const name = await screen.findByText('Firefox on Linux');

    expect(name.getAttribute('title')).toBe(firefox);
    expect(
      screen.getByRole('button', { name: 'End this session: Firefox on Linux, from 203.0.113.7' }),
    ).toBeTruthy();
  });

  test('after a password change, the other sessions (which it ended) are gone from the list', async () => {
    const service = fakeService(['Firefox on a phone']);
    render(
      <SessionProvider session={service.session}>
        <Account />
      </SessionProvider>,
    );
    expect(await screen.findByText('Firefox on a phone')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Current password'), {
      target: { value: 'the old password' },
    });
    fireEvent.change(screen.getByLabelText('New password'), {
      target: { value: 'a new password, long enough' },
    });
    fireEvent.submit(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByText(/Your password is changed/)).toBeTruthy();
    await screen.findByText('This browser');
    expect(screen.queryByText('Firefox on a phone')).toBeNull();
    expect(service.sessionLists()).toBe(2);
  });

  test('submitting the email address it already is says so, and sends nothing', async () => {
    const service = fakeService([]);
    render(
      <SessionProvider session={service.session}>
        <Account />
      </SessionProvider>,
    );
    const field = await screen.findByLabelText('New email address');

    fireEvent.change(field, { target: { value: ' Ann@Example.com ' } });
    await act(async () =>
      fireEvent.submit(screen.getByRole('button', { name: 'Change email address' })),
    );

    expect(screen.getByText('That is already your email address.')).toBeTruthy();
    expect(screen.queryByText(/Your email address is changed/)).toBeNull();
  });
});
