import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { App } from './app';
import { Session } from './session/session';
import { SessionProvider } from './session/session-context';

afterEach(cleanup);

test('a failed log-out is said on its screen, and not carried to the next one', async () => {
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/api/users/login') {
      return Response.json({ access_token: 'token', token_type: 'bearer', expires_in: 900 });
    }
    if (path === '/api/users/logout') throw new TypeError('Failed to fetch');
    if (path === '/api/users/me')
      return Response.json({ id: 'u', email: 'ann@example.com', projects: [] });
    if (path === '/api/users/me/sessions') return Response.json({ sessions: [] });
    return Response.json({ projects: [], nextCursor: null });
  };
  const session = new Session({ baseUrl: 'http://taskflow.test', fetch });
  await session.restore();
  render(
    <SessionProvider session={session}>
      <Router hook={memoryLocation({ path: '/projects' }).hook}>
        <App />
      </Router>
    </SessionProvider>,
  );

  await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Log out' })));
  expect(screen.getByText(/You are still logged in/)).toBeTruthy();

  await act(async () => fireEvent.click(screen.getByRole('link', { name: 'Account' })));
  expect(screen.queryByText(/You are still logged in/)).toBeNull();
});
