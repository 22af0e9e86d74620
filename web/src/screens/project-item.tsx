import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ProblemError } from '../api/problems';
import { limitFromInput, limitToInput, PROJECT_FIELD_OF_CODE, type Project } from '../api/projects';
import { changeShown, readProject, unlessChanged } from '../api/versions';
import { useAction } from '../components/action';
import { ActionButton, Alert } from '../components/ui';
import { useSession } from '../session/session-context';
import { ProjectFields } from './project-fields';

/** The limit of open tasks and how many are open now, as the project resource says. */
export function limitText(project: Project): string {
  const limit = project.maximumNumberOfIncompleteTasks;
  const open = `${project.numberOfIncompleteTasks} open now`;
  return limit === null
    ? `No limit of open tasks (${open})`
    : `At most ${limit} open tasks at once: ${open}`;
}

/** One project in the list, with what can be done to it in its state. */
export function ProjectItem({
  project,
  onChanged,
  onDeleted,
}: {
  project: Project;
  onChanged: (project: Project) => void;
  onDeleted: () => void;
}) {
  const { api } = useSession();
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const action = useAction();
  const path = { projectId: project.id };
  // The button pressed is replaced by others (Edit by the form, Delete by its confirmation):
  // the focus goes to what replaced it, not to the page, and comes back when it is put away.
  const item = useRef<HTMLLIElement>(null);
  const [focus, setFocus] = useState<{ on: string }>();
  useEffect(() => {
    if (focus) item.current?.querySelector<HTMLElement>(`[data-focus="${focus.on}"]`)?.focus();
  }, [focus]);
  const show = (change: () => void, focusOn: string) => {
    change();
    setFocus({ on: focusOn });
  };

  // Only when the project is still as this card shows it, then with the version just read
  // (If-Match): see changeShown.
  const archive = (archived: boolean) =>
    action.run(async () => {
      const route = archived
        ? '/api/projects/{projectId}/archive'
        : '/api/projects/{projectId}/unarchive';
      const send = (ifMatch?: string) =>
        api.PUT(route, { params: { path, header: { 'if-match': ifMatch } } });
      onChanged(await changeShown(api, project, send, onChanged));
    });
  const remove = () =>
    action.run(async () => {
      const send = (ifMatch?: string) =>
        api.DELETE('/api/projects/{projectId}', {
          params: { path, header: { 'if-match': ifMatch } },
        });
      try {
        await changeShown(api, project, send, onChanged);
      } catch (error) {
        // Deleted elsewhere meanwhile: what was asked for is done, and the card goes.
        if (!(error instanceof ProblemError && error.problem.status === 404)) throw error;
      }
      onDeleted();
    });

  const headingId = `project-${project.id}`;
  // Escape puts away the form or the confirmation that is open, as Cancel or "Keep it" does.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    if (editing) show(() => setEditing(false), 'edit');
    else if (confirmingDelete) show(() => setConfirmingDelete(false), 'delete');
  };
  return (
    <li className="card" aria-labelledby={headingId} ref={item} onKeyDown={onKeyDown}>
      <h3 id={headingId}>
        <Link href={`/projects/${project.id}`}>{project.name}</Link>
      </h3>
      <p className="meta">
        {project.archived && <span className="badge">Archived</span>} {limitText(project)}
      </p>
      {editing ? (
        <EditProject
          project={project}
          onChanged={onChanged}
          onSaved={(saved) => {
            action.reset();
            onChanged(saved);
            show(() => setEditing(false), 'edit');
          }}
          onCancel={() => show(() => setEditing(false), 'edit')}
        />
      ) : (
        <div className="actions">
          {!project.archived && (
            <button
              type="button"
              className="secondary"
              data-focus="edit"
              onClick={() => {
                action.reset(); // a refusal of an earlier action is not this edit's
                show(() => setEditing(true), 'name');
              }}
            >
              Edit<span className="visually-hidden"> {project.name}</span>
            </button>
          )}
          <ActionButton
            className="secondary"
            busy={action.busy}
            onClick={() => archive(!project.archived)}
          >
            {project.archived ? 'Unarchive' : 'Archive'}
            <span className="visually-hidden"> {project.name}</span>
          </ActionButton>
          {project.archived &&
            (confirmingDelete ? (
              <>
                <ActionButton
                  className="danger"
                  busy={action.busy}
                  onClick={remove}
                  data-focus="confirm-delete"
                >
                  Delete <bdi>{project.name}</bdi> for good
                </ActionButton>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => show(() => setConfirmingDelete(false), 'delete')}
                >
                  Keep it
                </button>
              </>
            ) : (
              <button
                type="button"
                className="danger"
                data-focus="delete"
                onClick={() => show(() => setConfirmingDelete(true), 'confirm-delete')}
              >
                Delete<span className="visually-hidden"> {project.name}</span>
              </button>
            ))}
        </div>
      )}
      <Alert>{action.problem?.form ?? Object.values(action.problem?.fields ?? {})[0]}</Alert>
    </li>
  );
}

function EditProject({
  project,
  onSaved,
  onChanged,
  onCancel,
}: {
  project: Project;
  onSaved: (project: Project) => void;
  /** The project as it is now, read when it differs from the copy shown. */
  onChanged: (project: Project) => void;
  onCancel: () => void;
}) {
  const { api } = useSession();
  const [name, setName] = useState(project.name);
  const [limit, setLimit] = useState(limitToInput(project.maximumNumberOfIncompleteTasks));
  const action = useAction(PROJECT_FIELD_OF_CODE);
  // The project as it is when the form opens, and its version (ETag): the save is sent with
  // it (If-Match), so that a change someone made meanwhile (another tab, another person) is
  // refused (412) rather than silently replaced.
  const [version, setVersion] = useState<string>();
  const read = async (): Promise<Project> => {
    const current = await readProject(api, project.id);
    setVersion(current.version);
    return current.project;
  };
  const showAsItIs = (current: Project) => {
    setName(current.name);
    setLimit(limitToInput(current.maximumNumberOfIncompleteTasks));
    onChanged(current);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once, when the form opens.
  useEffect(() => {
    void read()
      .then((current) => {
        const differs =
          current.name !== project.name ||
          current.maximumNumberOfIncompleteTasks !== project.maximumNumberOfIncompleteTasks;
        if (differs) showAsItIs(current);
      })
      .catch(() => {}); // Unreachable: the save says so.
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      // Only what the person changed: a field sent as this (maybe old) copy shows it would
      // undo whatever someone else has set it to since.
      const maximum = limitFromInput(limit);
      const changes = {
        ...(name !== project.name && { name }),
        ...(maximum !== project.maximumNumberOfIncompleteTasks && {
          maximumNumberOfIncompleteTasks: maximum,
        }),
      };
      if (Object.keys(changes).length === 0) return onCancel();
      const answer = await api.PUT('/api/projects/{projectId}', {
        params: { path: { projectId: project.id }, header: { 'if-match': version } },
        body: changes,
      });
      // Changed since the form opened: shown as it is now, and the refusal says so.
      const changed = (current: Project, currentVersion: string | undefined) => {
        setVersion(currentVersion);
        showAsItIs(current);
      };
      onSaved(await unlessChanged(api, project.id, answer, changed, CHANGED_ELSEWHERE));
    });
  };
  const { fields = {}, form } = action.problem ?? {};
  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${project.name}`}>
      <ProjectFields
        name={name}
        limit={limit}
        onName={setName}
        onLimit={setLimit}
        errors={fields}
        hints={{ limit: 'Empty: no limit.' }}
      />
      <Alert>{form}</Alert>
      <div className="actions">
        <ActionButton type="submit" busy={action.busy}>
          {action.busy ? 'Saving…' : 'Save'}
        </ActionButton>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const CHANGED_ELSEWHERE =
  'Someone changed this project since you opened it: it is shown as it is now. Make your change again, or cancel.';
