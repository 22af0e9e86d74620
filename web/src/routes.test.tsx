import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { Routes } from './routes';
import { Session } from './session/session';
import { SessionProvider } from './session/session-context';

afterEach(cleanup);

/** A signed-in person whose projects are all missing: every project read answers 404. */
async function signedIn() {
  const fetch = vi.fn(async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/users/login') {
      return Response.json({ access_token: 'token', token_type: 'bearer', expires_in: 900 });
    }
    const id = path.split('/').pop();
    return Response.json(
      {
        type: '/problems#project-not-found',
        title: 'Not Found',
        status: 404,
        code: 'project-not-found',
        detail: `Project ${id} was not found.`,
      },
      { status: 404, headers: { 'content-type': 'application/problem+json' } },
    );
  });
  const session = new Session({ baseUrl: 'http://taskflow.test', fetch });
  await session.restore();
  return { session, fetch };
}

function renderAt(path: string, session: Session) {
  render(
    <SessionProvider session={session}>
      <Router hook={memoryLocation({ path }).hook}>
        <Routes />
      </Router>
    </SessionProvider>,
  );
}

describe('the path of a project', () => {
  test.each([
    '/projects/abc',
    '/projects/0',
    '/projects/-1',
    '/projects/1.5',
    '/projects/01',
    '/projects/1e3',
    '/projects/2147483648',
  ])('%s cannot name a project: the page is not found, and the API is not asked', async (path) => {
    const { session, fetch } = await signedIn();
    fetch.mockClear();
    renderAt(path, session);
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeDefined();
    expect(fetch).not.toHaveBeenCalled();
  });

  test('a whole number no project has is read from the API, which says it is not found', async () => {
    const { session } = await signedIn();
    await act(async () => renderAt('/projects/2147483647', session));
    expect(await screen.findByRole('heading', { name: 'Project not found' })).toBeDefined();
    expect(screen.getByRole('alert').textContent).toBe('Project 2147483647 was not found.');
  });
});
