import { DomainError } from '../../building-blocks/domain/domain-error.ts';
import type { TaskView } from './views.ts';

/**
 * The versions behind `ETag` and `If-Match` (the quotes are the HTTP edge's).
 *
 * A project's tag is its aggregate's version: every change to the project or to one of its
 * tasks moves it on. A task's tag is its own state, number and completion time (a task's
 * name never changes): deriving it from the project's version would make every change to any
 * other task of the project a 412 for a client that only holds this task.
 */
export const projectTag = (version: number): string => `${version}`;

export const taskTag = (task: TaskView): string =>
  `${task.number}-${task.completedAt === null ? 'open' : Date.parse(task.completedAt)}`;

/** The tags a command may act on (one of them must be current); undefined: any. */
export type IfMatch = readonly string[] | undefined;

export class StaleCopy extends DomainError {
  readonly code = 'precondition-failed';
  readonly kind = 'stale';

  constructor(what: 'project' | 'task') {
    super(
      `The ${what} changed since you read it (If-Match does not hold): read it again, then retry.`,
    );
  }
}

/** `StaleCopy` unless `current` is one of the tags the client holds. */
export function checkIfMatch(ifMatch: IfMatch, current: string, what: 'project' | 'task'): void {
  if (ifMatch !== undefined && !ifMatch.includes(current)) throw new StaleCopy(what);
}
