import type { Insertable, Kysely } from 'kysely';
import { ConcurrencyConflict } from '../../building-blocks/application/concurrency-conflict.ts';
import type { AggregateTracker } from '../../building-blocks/application/unit-of-work.ts';
import type { SqlTransaction } from '../../building-blocks/infrastructure/database/database.ts';
import { isUniqueViolation } from '../../building-blocks/infrastructure/database/errors.ts';
import {
  lockablePreparedQuery,
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import {
  type Reading,
  WITHOUT_LOCKS,
} from '../../building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { ProjectRepository } from '../application/ports.ts';
import { isUnchanged, pendingChanges, rememberStored } from '../application/project-changes.ts';
import type { Project, ProjectId } from '../domain/project.ts';
import type { TaskState } from '../domain/task.ts';
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

/**
 * Locked, the project row is held `FOR NO KEY UPDATE`, the lock its UPDATE takes anyway: it
 * queues the commands on the project, but not the foreign-key check of a task insert (`FOR KEY
 * SHARE`). `FOR UPDATE` would: a losing attempt that had inserted its task number would wait
 * for the project while the holder waits for that number, a deadlock (ADR 9).
 */
const ownedProject = lockablePreparedQuery(
  (db: Db, param: Param<{ id: number; ownerId: string }>, lock) =>
    db
      .selectFrom('projects.projects')
      .selectAll()
      .where('id', '=', param('id'))
      .where('owner_id', '=', param('ownerId'))
      .where('deleted_at', 'is', null)
      .$if(lock, (query) => query.forNoKeyUpdate()),
);

const taskOfProject = preparedQuery((db: Db, param: Param<{ projectId: number; number: number }>) =>
  db
    .selectFrom('projects.tasks')
    .selectAll()
    .where('project_id', '=', param('projectId'))
    .where('number', '=', param('number')),
);

/** The project and the task in one statement, so from one snapshot: only without a lock. */
const ownedProjectWithTask = preparedQuery(
  (db: Db, param: Param<{ id: number; ownerId: string; number: number }>) =>
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
      .where('p.deleted_at', 'is', null),
);

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

/**
 * Their tasks go by the foreign key's `ON DELETE CASCADE`, after the project rows: each
 * project is locked before its tasks, in the order every command takes them (deleting the
 * tasks first deadlocked with any command on one of the projects).
 */
const deleteProjectsOfOwner = preparedQuery((db: Db, param: Param<{ ownerId: string }>) =>
  db.deleteFrom('projects.projects').where('owner_id', '=', param('ownerId')),
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
    .set({ name: param('name'), completed_at: param('completed_at') })
    .where('project_id', '=', param('project_id'))
    .where('number', '=', param('number')),
);

/** How a project is named to its unit of work (`Reading.locks`, `ConcurrencyConflict`). */
function projectKey(id: ProjectId): string {
  return `project ${id}`;
}

/**
 * Loads a project with at most the one task a command names, and saves only what changed:
 * the project row (guarded by its version) plus new or changed task rows. A command's cost
 * does not grow with the number of tasks.
 *
 * Read without a lock (a command's first attempt, ADR 20), the project and its task come in
 * one statement, and the version check of `save` catches a lost race. Where `reading` locks
 * the project (the attempt after a lost race, or the first on a project that lost one lately;
 * PostgreSQL only), loading locks the project row first and reads the task after: see
 * `findOwned` and ADR 9. A lost race names the project (`projectKey`), so the unit of work
 * can remember it.
 */
export class KyselyProjectRepository implements ProjectRepository {
  readonly #tx: SqlTransaction<ProjectsTables>;
  readonly #tracker: AggregateTracker;
  readonly #reading: Reading;

  /**
   * Where `reading` locks a project (PostgreSQL only), loading it takes its row's lock (`FOR
   * NO KEY UPDATE`) until the transaction ends: concurrent commands on one project queue up
   * instead of failing their version check and retrying. The version check stays as the
   * guarantee.
   */
  constructor(
    tx: SqlTransaction<ProjectsTables>,
    tracker: AggregateTracker,
    reading: Reading = WITHOUT_LOCKS,
  ) {
    this.#tx = tx;
    this.#tracker = tracker;
    this.#reading = reading;
  }

  async nextId(): Promise<ProjectId> {
    const row = await nextProjectId.executeTakeFirst(this.#tx, {});
    if (!row) throw new Error('The project id sequence is missing: run the migrations.');
    return row.value as ProjectId;
  }

  async add(project: Project): Promise<void> {
    const state = project.toState();
    await insertProject.execute(this.#tx, { ...toProjectRow(state), version: 1 });
    await this.#insertTasks(state.id, state.tasks);
    rememberStored(project, 1);
    this.#tracker.track(project);
  }

  async findOwned(
    id: ProjectId,
    ownerId: UserId,
    options: { withTask?: number } = {},
  ): Promise<Project | undefined> {
    const locked = this.#reading.locks(projectKey(id));
    const loaded =
      options.withTask === undefined
        ? await this.#projectAlone(id, ownerId, locked)
        : locked
          ? await this.#lockedProjectThenTask(id, ownerId, options.withTask)
          : await this.#projectWithTask(id, ownerId, options.withTask);
    if (!loaded) return undefined;
    const project = fromRows(loaded.row, loaded.taskRows);
    rememberStored(project);
    this.#tracker.track(project);
    return project;
  }

  async #projectAlone(id: ProjectId, ownerId: UserId, locked: boolean) {
    const row = await ownedProject(locked).executeTakeFirst(this.#tx, { id, ownerId });
    return row && { row, taskRows: [] };
  }

  /** One statement, one snapshot: the project and its task as they were at one moment. */
  async #projectWithTask(id: ProjectId, ownerId: UserId, number: number) {
    const joined = await ownedProjectWithTask.executeTakeFirst(this.#tx, { id, ownerId, number });
    if (!joined) return undefined;
    const { task_number, task_name, task_completed_at, task_created_at, ...row } = joined;
    const taskRows =
      task_number === null || task_name === null || task_created_at === null
        ? []
        : [
            {
              project_id: id,
              number: task_number,
              name: task_name,
              completed_at: task_completed_at,
              created_at: task_created_at,
            },
          ];
    return { row, taskRows };
  }

  /**
   * Two statements, in this order, so that the command decides on fresh state: the project
   * row, locked (waiting for whoever holds it to commit), then the task (sent at once, run
   * one after the other). Under READ COMMITTED each statement sees everything committed
   * before it began, so the task read after the lock includes the last holder's writes.
   * (One statement joining the task to the locked project would not: after waiting for the
   * lock, PostgreSQL re-reads the locked row but keeps the joined task row of the
   * statement's older snapshot.)
   */
  async #lockedProjectThenTask(id: ProjectId, ownerId: UserId, number: number) {
    // Sent together (PostgreSQL's connection pipelines them: one round trip), run in order:
    // the task's statement begins only once the project's has its lock.
    const [row, taskRows] = await Promise.all([
      ownedProject(true).executeTakeFirst(this.#tx, { id, ownerId }),
      taskOfProject.execute(this.#tx, { projectId: id, number }),
    ]);
    return row && { row, taskRows };
  }

  async removeAllOwnedBy(ownerId: UserId): Promise<void> {
    await deleteProjectsOfOwner.execute(this.#tx, { ownerId });
  }

  async save(project: Project): Promise<void> {
    this.#tracker.track(project);
    const { stored, changes } = pendingChanges(project);
    // An idempotent command that changed nothing (completing a completed task) writes nothing.
    if (isUnchanged(changes)) return;

    const state = project.toState();
    // Any change moves the project's version on, task changes too: the version check on its
    // row guards the whole aggregate.
    const version = stored.version + 1;
    // The writes are sent together (one round trip on PostgreSQL); when the version check
    // fails, the task writes that went with it are rolled back with the transaction. The
    // version check decides first: a task write that failed because the project changed or
    // went (a task added to a project deleted since it was read breaks the foreign key) is
    // the same lost race.
    const [updated, ...taskWrites] = await Promise.allSettled([
      updateProject.affectedRows(this.#tx, {
        ...toProjectRow(state),
        version: stored.version,
        next_version: version,
      }),
      this.#insertTasks(state.id, changes.addedTasks),
      ...changes.changedTasks.map((task) =>
        updateTask.execute(this.#tx, toTaskRow(state.id, task)),
      ),
    ]);
    if (updated.status === 'rejected') throw updated.reason;
    if (updated.value === 0n) throw new ConcurrencyConflict('The project', projectKey(state.id));
    for (const write of taskWrites) if (write.status === 'rejected') throw write.reason;
    rememberStored(project, version);
  }

  async #insertTasks(projectId: ProjectId, tasks: readonly TaskState[]): Promise<void> {
    try {
      await Promise.all(
        tasks.map((task) => insertTask.execute(this.#tx, toTaskRow(projectId, task))),
      );
    } catch (error) {
      // Another transaction took the number first: a lost race, run again (ADR 20).
      if (isUniqueViolation(error)) {
        throw new ConcurrencyConflict('The project', projectKey(projectId));
      }
      throw error;
    }
  }
}
