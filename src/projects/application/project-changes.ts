import type { Project, ProjectState } from '../domain/project.ts';
import type { TaskState } from '../domain/task.ts';

/**
 * What changed in a project since it was loaded: its own fields, the tasks added, and the
 * tasks changed (only the tasks the command loaded can have changed). A save with any change
 * writes the project's row (its version moves on) and those task rows; a save without any
 * writes nothing. The real repository and its in-memory fake both follow this, so a test on
 * the fake saves what the real one would.
 */
export interface ProjectChanges {
  /** Whether any field stored in the project's own row changed (the version aside). */
  readonly ownFields: boolean;
  readonly addedTasks: readonly TaskState[];
  readonly changedTasks: readonly TaskState[];
}

/**
 * What each project looked like in storage when it was last loaded or stored. Keyed by the
 * aggregate itself (weakly), not per unit of work: a project loaded in one unit of work and
 * saved in a later one is saved against the version it was loaded with, and refused if that
 * version has moved on.
 */
const storedStates = new WeakMap<Project, ProjectState>();

/**
 * For repositories: storage now holds `project` as it is (just loaded), or, with `version`,
 * as it is with that new version (just stored; the aggregate learns its new version).
 */
export function rememberStored(project: Project, version?: number): void {
  if (version !== undefined) project.markStored(version);
  storedStates.set(project, project.toState());
}

/** For repositories: what saving `project` must write, and the state storage held. */
export function pendingChanges(project: Project): {
  stored: ProjectState;
  changes: ProjectChanges;
} {
  const stored = storedStates.get(project);
  if (!stored) throw new Error('Only a project a repository loaded or added can be saved.');
  return { stored, changes: changesSince(stored, project.toState()) };
}

export function changesSince(loaded: ProjectState, current: ProjectState): ProjectChanges {
  const before = new Map(loaded.tasks.map((task) => [task.number, task]));
  const addedTasks: TaskState[] = [];
  const changedTasks: TaskState[] = [];
  for (const task of current.tasks) {
    const previous = before.get(task.number);
    if (previous === undefined) addedTasks.push(task);
    else if (!sameFields(TASK_FIELDS, previous, task)) changedTasks.push(task);
  }
  return { ownFields: !sameFields(PROJECT_ROW_FIELDS, loaded, current), addedTasks, changedTasks };
}

export function isUnchanged(changes: ProjectChanges): boolean {
  return !changes.ownFields && changes.addedTasks.length === 0 && changes.changedTasks.length === 0;
}

const same = (a: unknown, b: unknown) => a === b;
const sameTime = (a: Date | null, b: Date | null) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

type Comparers<T> = { [K in keyof T]: (a: T[K], b: T[K]) => boolean };

/**
 * How to compare each field of the project's own row. The version is the repository's
 * business, not a change; the type makes a new field of the state be listed here.
 */
const PROJECT_ROW_FIELDS: Comparers<Omit<ProjectState, 'tasks' | 'version'>> = {
  id: same,
  ownerId: same,
  name: same,
  maximumNumberOfIncompleteTasks: same,
  createdAt: sameTime,
  archivedAt: sameTime,
  deletedAt: sameTime,
  lastTaskNumber: same,
  incompleteTaskCount: same,
};

const TASK_FIELDS: Comparers<TaskState> = {
  number: same,
  name: same,
  completedAt: sameTime,
  createdAt: sameTime,
};

function sameFields<T>(fields: Comparers<T>, a: T, b: T): boolean {
  for (const key of Object.keys(fields) as (keyof T)[]) {
    if (!fields[key](a[key], b[key])) return false;
  }
  return true;
}
