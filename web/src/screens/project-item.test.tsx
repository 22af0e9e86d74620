import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Project } from '../api/projects';
import { Session } from '../session/session';
import { SessionProvider } from '../session/session-context';
import { ProjectItem } from './project-item';

afterEach(cleanup);

/** The project as this screen last read it: someone may have changed it since. */
const shown: Project = {
  id: 7,
  name: 'Shared plan',
  maximumNumberOfIncompleteTasks: null,
  numberOfIncompleteTasks: 0,
  archived: false,
  archivedAt: null,
};

/** A refusal as the API sends it: an RFC 9457 problem document. */
const problem = (status: number, code: string, title: string, detail: string) =>
  Response.json(
    { type: `/problems#${code}`, title, status, code, detail },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

/** The API's answer to a change whose If-Match is not the current version. */
const stale = () =>
  problem(
    412,
    'precondition-failed',
    'Precondition failed',
    'The project changed since you read it (If-Match does not hold): read it again, then retry.',
  );

/**
 * A service that answers a read of the project with `current` and its version, and records
 * the edits it is sent (body and If-Match): one whose If-Match is not the current version is
 * refused, as the API refuses it (412).
 */
function recordingService(current: Project = shown, version = '"v1"') {
  const edits: unknown[] = [];
  const ifMatch: (string | null)[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    if (request.method === 'GET') return Response.json(current, { headers: { etag: version } });
    const body = await request.json();
    edits.push(body);
    ifMatch.push(request.headers.get('if-match'));
    if (request.headers.get('if-match') !== version) {
      return stale();
    }
    return Response.json({ ...current, maximumNumberOfIncompleteTasks: 3, ...body });
  };
  const service = {
    session: new Session({ baseUrl: 'http://taskflow.test', fetch }),
    edits,
    ifMatch,
    /** Someone else changes the project: its version moves on. */
    changeElsewhere(to: Project) {
      current = to;
      version = '"v2"';
    },
  };
  return service;
}

function renderItem(session: Session) {
  render(
    <SessionProvider session={session}>
      <ul>
        <ProjectItem project={shown} onChanged={() => undefined} onDeleted={() => undefined} />
      </ul>
    </SessionProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Edit Shared plan' }));
}

const save = () => act(async () => fireEvent.submit(screen.getByRole('button', { name: 'Save' })));

describe('editing a project', () => {
  test('sends only what was changed, so a limit set elsewhere meanwhile is not undone', async () => {
    const service = recordingService();
    renderItem(service.session);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Shared plan, v2' } });
    await save();
    expect(service.edits).toEqual([{ name: 'Shared plan, v2' }]);
  });

  test('sends the version it opened: a change made elsewhere meanwhile is refused, and the form shows the project as it is now', async () => {
    const service = recordingService();
    renderItem(service.session);
    await act(async () => {}); // the form reads the project as it opens
    service.changeElsewhere({ ...shown, name: 'Renamed elsewhere' });

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Renamed here' } });
    await save();

    expect(service.ifMatch).toEqual(['"v1"']);
    expect(screen.getByText(/changed this project since you opened it/)).toBeTruthy();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Renamed elsewhere');
    // Sent again, it carries the version it now shows, and is saved.
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Renamed here' } });
    await save();
    expect(service.ifMatch).toEqual(['"v1"', '"v2"']);
    expect(service.edits.at(-1)).toEqual({ name: 'Renamed here' });
  });

  test.each(['0', '5e', '1-2', '2.5', '--3'])(
    'refuses a limit typed as %s on its field, and sends nothing (it would have become "no limit")',
    async (typed) => {
      const service = recordingService();
      renderItem(service.session);
      const limit = screen.getByLabelText('Limit of open tasks');
      fireEvent.change(limit, { target: { value: typed } });
      await save();
      expect(service.edits).toEqual([]);
      expect(limit.getAttribute('aria-invalid')).toBe('true');
      const error = document.getElementById(
        limit.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '',
      );
      expect(error?.textContent).toBe(
        'Type a whole number from 1 up, or leave it empty for no limit.',
      );
    },
  );
});

/**
 * A service that holds one project and its version, as the API does: archive, unarchive and
 * delete act when If-Match names the current version or is not sent at all, and are refused
 * (412) when it names an older one. It records each change it is sent, with its If-Match.
 */
function projectService(project: Project) {
  let current: Project | undefined = project;
  let version = 1;
  let changeOnRead: Project | undefined;
  const sent: { route: string; ifMatch: string | null }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    if (!current) return problem(404, 'not-found', 'Not found', 'Project 7 not found');
    const etag = `"v${version}"`;
    if (request.method === 'GET') {
      const read = current;
      if (changeOnRead) service.changeElsewhere(changeOnRead);
      changeOnRead = undefined;
      return Response.json(read, { headers: { etag } });
    }
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const ifMatch = request.headers.get('if-match');
    sent.push({ route, ifMatch });
    if (ifMatch !== null && ifMatch !== etag) return stale();
    if (request.method === 'DELETE') {
      current = undefined;
      return new Response(null, { status: 204 });
    }
    const archived = route.endsWith('/archive');
    current = { ...current, archived, archivedAt: archived ? '2026-12-01T10:00:00.000Z' : null };
    version += 1;
    return Response.json(current);
  };
  const service = {
    session: new Session({ baseUrl: 'http://taskflow.test', fetch }),
    sent,
    current: () => current,
    /** Someone else changes the project: its version moves on. */
    changeElsewhere(to: Project) {
      current = to;
      version += 1;
    },
    /** Someone else deletes the project. */
    deleteElsewhere() {
      current = undefined;
    },
    /** Someone else changes it just after the next read: too late for that read to see it. */
    changeJustAfterTheNextRead(to: Project) {
      changeOnRead = to;
    },
  };
  return service;
}

/** The card as the list shows it: the copy it is given, replaced when it changes. */
function Card({ initial, onDeleted }: { initial: Project; onDeleted: () => void }) {
  const [project, setProject] = useState(initial);
  return (
    <ul>
      <ProjectItem project={project} onChanged={setProject} onDeleted={onDeleted} />
    </ul>
  );
}

/** The card of `project`, on `service`, as the list shows it. */
function renderCard(
  service: { session: Session },
  project: Project,
  onDeleted: () => void = () => undefined,
) {
  render(
    <SessionProvider session={service.session}>
      <Card initial={project} onDeleted={onDeleted} />
    </SessionProvider>,
  );
}

const press = (name: string) =>
  act(async () => fireEvent.click(screen.getByRole('button', { name })));

describe('archiving, unarchiving and deleting a project', () => {
  const archived = { ...shown, archived: true, archivedAt: '2026-11-30T10:00:00.000Z' };

  test.each([
    ['Archive', shown],
    ['Unarchive', archived],
  ])('%s is sent with the version of the project as shown', async (button, project) => {
    const service = projectService(project);
    renderCard(service, project);
    await press(`${button} Shared plan`);
    expect(service.sent.map((change) => change.ifMatch)).toEqual(['"v1"']);
    expect(service.current()?.archived).toBe(!project.archived);
  });

  test.each([
    ['Archive', shown],
    ['Unarchive', archived],
  ])(
    '%s of a project changed elsewhere since it was shown is not sent: the card shows the project as it is now, and says so',
    async (button, project) => {
      const service = projectService(project);
      renderCard(service, project);
      service.changeElsewhere({ ...project, name: 'Renamed elsewhere' });

      await press(`${button} Shared plan`);

      expect(service.sent).toEqual([]);
      expect(service.current()?.archived).toBe(project.archived);
      expect(screen.getByRole('heading', { name: 'Renamed elsewhere' })).toBeTruthy();
      expect(screen.getByText(/changed this project since this page showed it/)).toBeTruthy();
    },
  );

  test('a change made elsewhere between the read and the archive is refused (412), and shown', async () => {
    const service = projectService(shown);
    renderCard(service, shown);
    service.changeJustAfterTheNextRead({ ...shown, name: 'Renamed elsewhere' });

    await press('Archive Shared plan');

    expect(service.sent).toEqual([{ route: 'PUT /api/projects/7/archive', ifMatch: '"v1"' }]);
    expect(service.current()?.archived).toBe(false);
    expect(screen.getByRole('heading', { name: 'Renamed elsewhere' })).toBeTruthy();
    expect(screen.getByText(/changed this project since this page showed it/)).toBeTruthy();
    // Pressed again, it acts on the project as it is now shown.
    await press('Archive Renamed elsewhere');
    expect(service.sent.at(-1)).toEqual({ route: 'PUT /api/projects/7/archive', ifMatch: '"v2"' });
    expect(service.current()?.archived).toBe(true);
  });

  test('delete is sent with the version shown: a project changed elsewhere is not deleted', async () => {
    const service = projectService(archived);
    let deleted = false;
    renderCard(service, archived, () => (deleted = true));
    service.changeElsewhere({ ...archived, name: 'Renamed elsewhere' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete Shared plan' }));

    await press('Delete Shared plan for good');

    expect(service.current()?.name).toBe('Renamed elsewhere');
    expect(deleted).toBe(false);
    expect(screen.getByText(/changed this project since this page showed it/)).toBeTruthy();
    // Confirmed again, as it is now shown, it is deleted.
    await press('Delete Renamed elsewhere for good');
    expect(service.sent).toEqual([{ route: 'DELETE /api/projects/7', ifMatch: '"v2"' }]);
    expect(service.current()).toBeUndefined();
    expect(deleted).toBe(true);
  });
});

test('deleting a project deleted elsewhere meanwhile takes its card away, with no error', async () => {
  const archived = { ...shown, archived: true, archivedAt: '2026-11-30T10:00:00.000Z' };
  const service = projectService(archived);
  let deleted = false;
  renderCard(service, archived, () => (deleted = true));
  service.deleteElsewhere();
  fireEvent.click(screen.getByRole('button', { name: 'Delete Shared plan' }));

  await press('Delete Shared plan for good');

  expect(deleted).toBe(true);
  expect(screen.queryByRole('alert')?.textContent ?? '').toBe('');
});

describe('refusals', () => {
  test('a refused archive is not left under the card once an edit starts', async () => {
    const fetch = async (request: Request): Promise<Response> =>
      request.method === 'GET'
        ? Response.json(shown, { headers: { etag: '"v1"' } })
        : problem(
            409,
            'project-has-incomplete-tasks',
            'Conflict',
            'Project has 2 incomplete tasks',
          );
    render(
      <SessionProvider session={new Session({ baseUrl: 'http://taskflow.test', fetch })}>
        <ul>
          <ProjectItem project={shown} onChanged={() => undefined} onDeleted={() => undefined} />
        </ul>
      </SessionProvider>,
    );
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Archive Shared plan' })),
    );
    expect(screen.getByText('Project has 2 incomplete tasks')).toBeTruthy();

    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Edit Shared plan' })),
    );

    expect(screen.queryByText('Project has 2 incomplete tasks')).toBeNull();
  });

  test('a name is isolated from the text around it (a right-to-left name reorders nothing)', async () => {
    const hebrew = { ...shown, name: 'תוכנית משותפת', archived: true };
    render(
      <SessionProvider session={recordingService(hebrew).session}>
        <ul>
          <ProjectItem project={hebrew} onChanged={() => undefined} onDeleted={() => undefined} />
        </ul>
      </SessionProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete תוכנית משותפת' }));

    const confirm = screen.getByRole('button', { name: 'Delete תוכנית משותפת for good' });
    expect(confirm.querySelector('bdi')?.textContent).toBe('תוכנית משותפת');
  });
});

describe('the focus, when the button pressed is replaced', () => {
  const renderProject = (project: Project) =>
    render(
      <SessionProvider session={recordingService().session}>
        <ul>
          <ProjectItem project={project} onChanged={() => undefined} onDeleted={() => undefined} />
        </ul>
      </SessionProvider>,
    );

  test('goes from Edit to the name field, and back to Edit when the form is put away', () => {
    renderProject(shown);
    fireEvent.click(screen.getByRole('button', { name: 'Edit Shared plan' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit Shared plan' }));
  });

  test('goes from Delete to its confirmation, and back to Delete on "Keep it"', () => {
    renderProject({ ...shown, archived: true, archivedAt: '2026-12-01T10:00:00.000Z' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete Shared plan' }));
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Delete Shared plan for good' }),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete Shared plan' }));
  });

  test('Escape puts the form or the confirmation away, as Cancel and "Keep it" do', () => {
    renderProject({ ...shown, archived: true, archivedAt: '2026-12-01T10:00:00.000Z' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete Shared plan' }));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('button', { name: 'Delete Shared plan for good' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete Shared plan' }));
    cleanup();

    renderProject(shown);
    fireEvent.click(screen.getByRole('button', { name: 'Edit Shared plan' }));
    fireEvent.keyDown(screen.getByLabelText('Name'), { key: 'Escape' });
    expect(screen.queryByLabelText('Name')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit Shared plan' }));
  });
});
