import { unwrap } from '../api/problems';
import type { Task } from '../api/projects';
import { useAction } from '../components/action';
import { ActionButton, Alert, DateTime } from '../components/ui';
import { useSession } from '../session/session-context';

/** One task: open or completed (and when), and the button that changes which. */
export function TaskItem({
  projectId,
  task,
  archived,
  onChanged,
}: {
  projectId: number;
  task: Task;
  archived: boolean;
  onChanged: (task: Task) => void;
}) {
  const { api } = useSession();
  const action = useAction();
  const completed = task.completedAt !== null;

  // Sent without If-Match, unlike a project's changes: the list gives no task's version, and
  // reading the task before each press would double the calls of the screen's most frequent
  // action for little. Complete and Reopen name the state they set (a repeat changes nothing),
  // so a stale copy still ends as the person asked, and the answer shows the task as it is.
  const toggle = () =>
    action.run(async () => {
      const route = completed
        ? '/api/projects/{projectId}/tasks/{taskNumber}/incomplete'
        : '/api/projects/{projectId}/tasks/{taskNumber}/complete';
      onChanged(
        unwrap(await api.PUT(route, { params: { path: { projectId, taskNumber: task.number } } })),
      );
    });

  const nameId = `task-${task.number}`;
  return (
    <li className={completed ? 'task completed' : 'task'} aria-labelledby={nameId}>
      <div>
        {/* Isolated: a right-to-left name does not carry the "#n" after it into its order. */}
        <bdi id={nameId} className="task-name">
          {task.name}
        </bdi>{' '}
        <span className="meta">
          #{task.number}
          {' · '}
          {task.completedAt === null ? (
            'Open'
          ) : (
            <>
              Completed <DateTime iso={task.completedAt} />
            </>
          )}
        </span>
      </div>
      {/* Busy, it keeps the focus: the same button then offers the opposite (Reopen, Complete). */}
      <ActionButton className="secondary" busy={action.busy} disabled={archived} onClick={toggle}>
        {completed ? 'Reopen' : 'Complete'}
        <span className="visually-hidden"> {task.name}</span>
      </ActionButton>
      <Alert>{action.problem?.form ?? Object.values(action.problem?.fields ?? {})[0]}</Alert>
    </li>
  );
}
