import type { Insertable, Kysely } from 'kysely';
import { ConcurrencyConflict } from '../../building-blocks/application/concurrency-conflict.ts';
import type { AggregateTracker } from '../../building-blocks/application/unit-of-work.ts';
import type { SqlTransaction } from '../../building-blocks/infrastructure/database/database.ts';
import { isUniqueViolation } from '../../building-blocks/infrastructure/database/errors.ts';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { ProjectRepository } from '../application/ports.ts';
import type { Project, ProjectId, ProjectState } from '../domain/project.ts';
import { fromRows, toProjectRow, toTaskRow } from './project-mapper.ts';
import type { ProjectsTable, ProjectsTables, TasksTable } from './tables.ts';

type Db = Kysely<ProjectsTables>;
type ProjectRow = Insertable<ProjectsTable>;
type TaskRow = Insertable<TasksTable>;

const nextProjectId = preparedQuery((db: Db) =>
  db
    .updateTable('projects.sequences')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'project')
    .returning('value'),
);

// The project and at most the one task a command names, in one statement (one round trip
// while the project's row lock is held). The task columns are null when no task is asked
// for (`number: null` matches no row) or it does not exist.
const ownedProject = (lock: boolean) =>
  preparedQuery((db: Db, param: Param<{ id: number; ownerId: string; number: number | null }>) =>
    db
      .selectFrom('projects.projects as p')
      .leftJoin('projects.tasks as t', (join) =>
        join.onRef('t.project_id', '=', 'p.id').on('t.number', '=', param('number')),
      )
      .selectAll('p')
      .select([
        't.number as task_number',
        't.name as task_name',
        't.completed_at as task_completed_at',
        't.created_at as task_created_at',
      ])
      .where('p.id', '=', param('id'))
      .where('p.owner_id', '=', param('ownerId'))
      .where('p.deleted_at', 'is', null)
      .$if(lock, (query) => query.forUpdate(['p'])),
  );
const ownedProjectUnlocked = ownedProject(false);
const ownedProjectLocked = ownedProject(true);

const insertProject = preparedQuery((db: Db, param: Param<ProjectRow>) =>
  db.insertInto('projects.projects').values({
    id: param('id'),
    owner_id: param('owner_id'),
    name: param('name'),
    maximum_number_of_incomplete_tasks: param('maximum_number_of_incomplete_tasks'),
    created_at: param('created_at'),
    archived_at: param('archived_at'),
    deleted_at: param('deleted_at'),
    last_task_number: param('last_task_number'),
    incomplete_task_count: param('incomplete_task_count'),
    version: param('version'),
  }),
);

// The version in the WHERE clause is the optimistic-concurrency check.
const updateProject = preparedQuery((db: Db, param: Param<ProjectRow & { next_version: number }>) =>
  db
    .updateTable('projects.projects')
    .set({
      name: param('name'),
      maximum_number_of_incomplete_tasks: param('maximum_number_of_incomplete_tasks'),
      archived_at: param('archived_at'),
      deleted_at: param('deleted_at'),
      last_task_number: param('last_task_number'),
      incomplete_task_count: param('incomplete_task_count'),
      version: param('next_version'),
    })
    .where('id', '=', param('id'))
    .where('version', '=', param('version')),
);

const insertTask = preparedQuery((db: Db, param: Param<TaskRow>) =>
  db.insertInto('projects.tasks').values({
    project_id: param('project_id'),
    number: param('number'),
    name: param('name'),
    completed_at: param('completed_at'),
    created_at: param('created_at'),
  }),
);

const updateTask = preparedQuery((db: Db, param: Param<TaskRow>) =>
  db
    .updateTable('projects.tasks')
    .set({ completed_at: param('completed_at') })
    .where('project_id', '=', param('project_id'))
    .where('number', '=', param('number')),
);

/**
 * Loads a project with at most the one task a command names, and saves only what changed:
 * the project row (guarded by its version) plus new or changed task rows. A command's cost
 * does not grow with the number of tasks.
 */
export class KyselyProjectRepository implements ProjectRepository {
  readonly #tx: SqlTransaction<ProjectsTables>;
  readonly #tracker: AggregateTracker;
  readonly #lockRows: boolean;
  /** What each loaded project looked like in storage, to tell what changed. */
  readonly #loaded = new WeakMap<Project, ProjectState>();

  /**
   * With `lockRows`, loading takes the project row's lock (`FOR UPDATE`) until the
   * transaction ends: concurrent commands on one project queue up instead of failing their
   * version check and retrying. The version check stays as the guarantee.
   */
  constructor(
    tx: SqlTransaction<ProjectsTables>,
    tracker: AggregateTracker,
    options = { lockRows: false },
  ) {
    this.#tx = tx;
    this.#tracker = tracker;
    this.#lockRows = options.lockRows;
  }

  async nextId(): Promise<ProjectId> {
    const row = await nextProjectId.executeTakeFirst(this.#tx, {});
    if (!row) throw new Error('The project id sequence is missing: run the migrations.');
    return row.value as ProjectId;
  }

  async add(project: Project): Promise<void> {
    const state = project.toState();
    await insertProject.execute(this.#tx, { ...toProjectRow(state), version: 1 });
    await this.#insertTasks(state, state.tasks);
    this.#tracker.track(project);
  }

  async findOwned(
    id: ProjectId,
    ownerId: UserId,
    options: { withTask?: number } = {},
  ): Promise<Project | undefined> {
    const query = this.#lockRows ? ownedProjectLocked : ownedProjectUnlocked;
    const row = await query.executeTakeFirst(this.#tx, {
      id,
      ownerId,
      number: options.withTask ?? null,
    });
    if (!row) return undefined;
    const taskRows =
      row.task_number === null || row.task_name === null || row.task_created_at === null
        ? []
        : [
            {
              project_id: id,
              number: row.task_number,
              name: row.task_name,
              completed_at: row.task_completed_at,
              created_at: row.task_created_at,
            },
          ];
    const project = fromRows(row, taskRows);
    this.#loaded.set(project, project.toState());
    this.#tracker.track(project);
    return project;
  }

  async save(project: Project): Promise<void> {
    const state = project.toState();
    const loaded = this.#loaded.get(project);
    this.#tracker.track(project);
    const before = new Map(loaded?.tasks.map((task) => [task.number, task]));
    const added = state.tasks.filter((task) => !before.has(task.number));
    const changed = state.tasks.filter((task) => {
      const previous = before.get(task.number);
      return previous !== undefined && time(previous.completedAt) !== time(task.completedAt);
    });
    // An idempotent command that changed nothing (completing a completed task) writes nothing.
    if (loaded && sameProjectRow(loaded, state) && added.length === 0 && changed.length === 0) {
      return;
    }

    const updated = await updateProject.affectedRows(this.#tx, {
      ...toProjectRow(state),
      next_version: state.version + 1,
    });
    if (updated === 0n) throw new ConcurrencyConflict('The project');
    await this.#insertTasks(state, added);
    for (const task of changed) await updateTask.execute(this.#tx, toTaskRow(state.id, task));
  }

  async #insertTasks(project: ProjectState, tasks: ProjectState['tasks']): Promise<void> {
    try {
      for (const task of tasks) await insertTask.execute(this.#tx, toTaskRow(project.id, task));
    } catch (error) {
      // Another transaction took the number first: a lost race, retried by the bus.
      if (isUniqueViolation(error)) throw new ConcurrencyConflict('The project');
      throw error;
    }
  }
}

const time = (date: Date | null) => date?.getTime() ?? null;
const same = (a: unknown, b: unknown) => a === b;
const sameTime = (a: Date | null, b: Date | null) => time(a) === time(b);

/** How to compare each field of the project's own row; the type makes a new field be listed. */
const ROW_FIELDS = {
  id: same,
  ownerId: same,
  name: same,
  maximumNumberOfIncompleteTasks: same,
  createdAt: sameTime,
  archivedAt: sameTime,
  deletedAt: sameTime,
  lastTaskNumber: same,
  incompleteTaskCount: same,
  version: same,
} satisfies { [K in Exclude<keyof ProjectState, 'tasks'>]: (a: never, b: never) => boolean };

/** Whether the fields stored in the project's own row are the same in both states. */
function sameProjectRow(a: ProjectState, b: ProjectState): boolean {
  for (const key of Object.keys(ROW_FIELDS) as (keyof typeof ROW_FIELDS)[]) {
    const equal = ROW_FIELDS[key] as (x: unknown, y: unknown) => boolean;
    if (!equal(a[key], b[key])) return false;
  }
  return true;
}
