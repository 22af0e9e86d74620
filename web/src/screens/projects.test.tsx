import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import { Session } from '../session/session';
import { SessionProvider } from '../session/session-context';
import { Projects } from './projects';

afterEach(cleanup);

const archived = {
  id: 7,
  name: 'Old plan',
  maximumNumberOfIncompleteTasks: null,
  numberOfIncompleteTasks: 0,
  archived: true,
  archivedAt: '2026-12-01T10:00:00.000Z',
};

test('a project deleted takes the focus to the list’s heading, not to the page', async () => {
  const fetch = async (request: Request): Promise<Response> =>
    request.method === 'DELETE'
      ? new Response(null, { status: 204 })
      : new URL(request.url).pathname === '/api/projects/7'
        ? Response.json(archived, { headers: { etag: '"v1"' } })
        : Response.json({ projects: [archived], nextCursor: null });
  render(
    <SessionProvider session={new Session({ baseUrl: 'http://taskflow.test', fetch })}>
      <Projects />
    </SessionProvider>,
  );
  fireEvent.click(await screen.findByRole('button', { name: 'Delete Old plan' }));

  await act(async () =>
    fireEvent.click(screen.getByRole('button', { name: 'Delete Old plan for good' })),
  );

  expect(screen.queryByText('Old plan')).toBeNull();
  expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Your projects' }));
});
