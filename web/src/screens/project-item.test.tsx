import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
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

/** A service that records the bodies of the edits it is sent and answers with the project. */
function recordingService() {
  const edits: unknown[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const body = await request.json();
    edits.push(body);
    return Response.json({ ...shown, maximumNumberOfIncompleteTasks: 3, ...body });
  };
  return { session: new Session({ baseUrl: 'http://taskflow.test', fetch }), edits };
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

  test.each(['5e', '1-2', '2.5', '--3'])(
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
      expect(error?.textContent).toBe('Type a whole number, or leave it empty for no limit.');
    },
  );
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
});
