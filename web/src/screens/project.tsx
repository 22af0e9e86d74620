import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { type Problem, problemOf, unwrap } from '../api/problems';
import type { Project, Task } from '../api/projects';
import { changeShown } from '../api/versions';
import { useAction } from '../components/action';
import { usePagedList } from '../components/paged-list';
import {
  ActionButton,
  Alert,
  Busy,
  Field,
  LoadMore,
  ScreenHeading,
  TryAgain,
} from '../components/ui';
import { useSession } from '../session/session-context';
import { limitText } from './project-item';
import { TaskItem } from './task-item';

/** One project: its rules as they stand, its tasks a page at a time, a form to add one. */
export function ProjectScreen({ projectId }: { projectId: number }) {
  const { api } = useSession();
  const [project, setProject] = useState<Project>();
  const [problem, setProblem] = useState<Problem>();
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` asks for a new read.
  useEffect(() => {
    let current = true;
    setProblem(undefined);
    api
      .GET('/api/projects/{projectId}', { params: { path: { projectId } } })
      .then(unwrap)
      .then((loaded) => current && setProject(loaded))
      .catch((error: unknown) => current && setProblem(problemOf(error)));
    return () => {
      current = false;
    };
  }, [api, projectId, attempt]);

  if (problem) {
    return (
      <div className="screen">
        <ScreenHeading>{problem.status === 404 ? 'Project not found' : 'Project'}</ScreenHeading>
        <Alert>{problem.detail}</Alert>
        {problem.status !== 404 && <TryAgain onClick={() => setAttempt((n) => n + 1)} />}
        <p>
          <Link href="/projects">Back to your projects</Link>
        </p>
      </div>
    );
  }
  if (!project) {
    return (
      <div className="screen">
        <Busy>Loading the project…</Busy>
      </div>
    );
  }
  return (
    <Tasks
      project={project}
      // A task's answer says whether it is open; the project's count follows it here rather
      // than by reading the project again after every change to a task.
      onOpenChanged={(by) =>
        setProject(
          (shown) =>
            shown && { ...shown, numberOfIncompleteTasks: shown.numberOfIncompleteTasks + by },
        )
      }
      onProjectChanged={setProject}
    />
  );
}

function Tasks({
  project,
  onOpenChanged,
  onProjectChanged,
}: {
  project: Project;
  onOpenChanged: (by: number) => void;
  onProjectChanged: (project: Project) => void;
}) {
  const { api } = useSession();
  const path = { projectId: project.id };
  const list = usePagedList(
    async (cursor) => {
      const page = unwrap(
        await api.GET('/api/projects/{projectId}/tasks', {
          params: { path, query: cursor ? { cursor } : {} },
        }),
      );
      return { items: page.tasks, nextCursor: page.nextCursor };
    },
    (task) => task.number,
  );
  const unarchive = useAction();
  const [unarchivedHere, setUnarchivedHere] = useState(false);

  // A project changed elsewhere is shown as it is now, its tasks too (they may have changed
  // with it: the project's version covers its tasks).
  const changedElsewhere = (current: Project) => {
    onProjectChanged(current);
    list.reload();
  };

  const changed = (task: Task) => {
    const before = list.items.find((item) => item.number === task.number);
    if (before && (before.completedAt === null) !== (task.completedAt === null)) {
      onOpenChanged(task.completedAt === null ? 1 : -1);
    }
    list.update((items) => items.map((item) => (item.number === task.number ? task : item)));
  };

  return (
    <div className="screen">
      <p className="breadcrumb">
        <Link href="/projects">Projects</Link>
      </p>
      <ScreenHeading>{project.name}</ScreenHeading>
      <Rules project={project} />
      {project.archived ? (
        <div className="notice">
          <p>This project is archived: unarchive it to add tasks or change them.</p>
          <ActionButton
            busy={unarchive.busy}
            onClick={() =>
              unarchive.run(async () => {
                const send = (ifMatch?: string) =>
                  api.PUT('/api/projects/{projectId}/unarchive', {
                    params: { path, header: { 'if-match': ifMatch } },
                  });
                onProjectChanged(await changeShown(api, project, send, changedElsewhere));
                setUnarchivedHere(true);
              })
            }
          >
            Unarchive
          </ActionButton>
        </div>
      ) : (
        <AddTask
          project={project}
          // The Unarchive button is gone with the notice: its focus goes where the person can
          // now do what the notice said they could not, add a task.
          focusOnShow={unarchivedHere}
          onAdded={(task) => {
            onOpenChanged(1);
            list.update((items) => [...items, task]);
          }}
        />
      )}
      {/* Outside the notice: a project unarchived elsewhere takes the notice away, not this. */}
      <Alert>{unarchive.problem?.form}</Alert>
      <h2>Tasks</h2>
      {list.loading ? (
        <Busy>Loading the tasks…</Busy>
      ) : list.items.length === 0 && !list.problem ? (
        <p>No tasks yet.</p>
      ) : (
        <ul className="tasks" aria-label="Tasks">
          {list.items.map((task) => (
            <TaskItem
              key={task.number}
              projectId={project.id}
              task={task}
              archived={project.archived}
              onChanged={changed}
            />
          ))}
        </ul>
      )}
      <Alert>{list.problem?.detail}</Alert>
      {list.firstPageFailed && <TryAgain onClick={list.reload} />}
      <LoadMore
        hasMore={list.hasMore}
        loadingMore={list.loadingMore}
        onClick={list.loadMore}
        what="tasks"
      />
    </div>
  );
}

/** The project's rules as they stand now, before anyone runs into them. */
function Rules({ project }: { project: Project }) {
  const limit = project.maximumNumberOfIncompleteTasks;
  const open = project.numberOfIncompleteTasks;
  return (
    <ul className="rules" aria-label="Rules of this project">
      <li>
        {limitText(project)}.
        {limit !== null && open >= limit && !project.archived && (
          <strong> The limit is reached: complete a task or raise the limit to add another.</strong>
        )}
      </li>
      <li>
        {project.archived
          ? 'Archived: no new tasks or changes until it is unarchived.'
          : open === 0
            ? 'Every task is complete: the project can be archived.'
            : 'It can be archived once every task is complete.'}
      </li>
    </ul>
  );
}

function AddTask({
  project,
  onAdded,
  focusOnShow = false,
}: {
  project: Project;
  onAdded: (task: Task) => void;
  /** Takes the focus when it appears (in place of the button that was focused). */
  focusOnShow?: boolean;
}) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const formElement = useRef<HTMLFormElement>(null);
  // Once, when the form appears: not again on each render.
  const focusOnMount = useRef(focusOnShow);
  useEffect(() => {
    if (focusOnMount.current) formElement.current?.querySelector('input')?.focus();
  }, []);
  const action = useAction({
    'invalid-name': 'name',
    'maximum-incomplete-tasks-reached': 'name',
    'project-archived': 'name',
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const added = await action.run(async () =>
      onAdded(
        unwrap(
          await api.POST('/api/projects/{projectId}/tasks', {
            params: {
              path: { projectId: project.id },
              header: { 'idempotency-key': crypto.randomUUID() },
            },
            body: { name },
          }),
        ),
      ),
    );
    if (added) setName('');
  };
  const { fields = {}, form } = action.problem ?? {};
  return (
    <form
      ref={formElement}
      onSubmit={submit}
      noValidate
      aria-labelledby="new-task"
      className="panel"
    >
      <h2 id="new-task">New task</h2>
      <Field
        label="Task"
        name="name"
        hint="4 to 32 characters."
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={fields.name}
      />
      <Alert>{form}</Alert>
      <ActionButton type="submit" busy={action.busy}>
        {action.busy ? 'Adding…' : 'Add task'}
      </ActionButton>
    </form>
  );
}
