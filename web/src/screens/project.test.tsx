import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import type { Project, Task } from '../api/projects';
import { Session } from '../session/session';
import { SessionProvider } from '../session/session-context';
import { ProjectScreen } from './project';

afterEach(cleanup);

const archived: Project = {
  id: 7,
  name: 'Shared plan',
  maximumNumberOfIncompleteTasks: null,
  numberOfIncompleteTasks: 0,
  archived: true,
  archivedAt: '2026-12-01T10:00:00.000Z',
};

/**
 * The project, its tasks and its version, as the API holds them: an unarchive with an
 * If-Match that is not the current version is refused (412); without one it acts.
 */
function projectService() {
  let project = archived;
  let tasks: Task[] = [];
  let version = 1;
  const unarchives: (string | null)[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path.endsWith('/tasks')) return Response.json({ tasks, nextCursor: null });
    if (request.method === 'GET')
      return Response.json(project, { headers: { etag: `"v${version}"` } });
    const ifMatch = request.headers.get('if-match');
    unarchives.push(ifMatch);
    if (ifMatch !== null && ifMatch !== `"v${version}"`) {
      return Response.json(
        {
          type: '/problems#precondition-failed',
          title: 'Precondition failed',
          status: 412,
          code: 'precondition-failed',
          detail: 'Stale.',
        },
        { status: 412, headers: { 'content-type': 'application/problem+json' } },
      );
    }
    project = { ...project, archived: false, archivedAt: null };
    version += 1;
    return Response.json(project);
  };
  return {
    session: new Session({ baseUrl: 'http://taskflow.test', fetch }),
    unarchives,
    /** Someone else unarchives the project and adds a task to it. */
    unarchiveAndAddElsewhere(task: Task) {
      project = { ...project, archived: false, archivedAt: null, numberOfIncompleteTasks: 1 };
      tasks = [task];
      version += 2;
    },
  };
}

async function renderScreen(session: Session) {
  render(
    <SessionProvider session={session}>
      <ProjectScreen projectId={7} />
    </SessionProvider>,
  );
  await screen.findByText('No tasks yet.');
}

const unarchive = () =>
  act(async () => fireEvent.click(screen.getByRole('button', { name: 'Unarchive' })));

test('Unarchive is sent with the version of the project as shown', async () => {
  const service = projectService();
  await renderScreen(service.session);
  await unarchive();
  expect(service.unarchives).toEqual(['"v1"']);
  expect(screen.getByRole('form', { name: 'New task' })).toBeTruthy();
});

test('a project changed elsewhere since it was shown is not unarchived by this screen: it is shown as it is now, tasks too, and the screen says so', async () => {
  const service = projectService();
  await renderScreen(service.session);
  service.unarchiveAndAddElsewhere({ number: 1, name: 'Added elsewhere', completedAt: null });

  await unarchive();

  expect(service.unarchives).toEqual([]);
  expect(screen.queryByRole('button', { name: 'Unarchive' })).toBeNull();
  expect(screen.getByText(/changed this project since this page showed it/)).toBeTruthy();
  expect(await screen.findByRole('listitem', { name: 'Added elsewhere' })).toBeTruthy();
  expect(screen.getByText(/1 open now/)).toBeTruthy();
});
