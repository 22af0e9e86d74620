import type { Kysely } from 'kysely';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import { optionalIsoTimestamp } from '../../building-blocks/infrastructure/database/timestamps.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { ProjectReadModel } from '../application/queries.ts';
import type { ProjectView, TaskView } from '../application/views.ts';
import type { ProjectsTables } from './tables.ts';

type Db = Kysely<ProjectsTables>;
type Owner = { ownerId: string };

const ownedProjects = (db: Db, param: Param<Owner>) =>
  db
    .selectFrom('projects.projects')
    .select(['id', 'name', 'maximum_number_of_incomplete_tasks', 'archived_at'])
    .where('owner_id', '=', param('ownerId'))
    .where('deleted_at', 'is', null);

const projectsOfOwner = preparedQuery((db: Db, param: Param<Owner>) =>
  ownedProjects(db, param).orderBy('id'),
);

const projectOfOwner = preparedQuery((db: Db, param: Param<Owner & { projectId: number }>) =>
  ownedProjects(db, param).where('id', '=', param('projectId')),
);

const summariesOfOwner = preparedQuery((db: Db, param: Param<Owner>) =>
  db
    .selectFrom('projects.projects')
    .select(['id', 'name'])
    .where('owner_id', '=', param('ownerId'))
    .where('deleted_at', 'is', null)
    .orderBy('id'),
);

// One row per task, or a single row of nulls for a project without tasks, or no row at all
// when the project is not the owner's: one query tells "no tasks" from "no project".
const tasksOfProject = preparedQuery((db: Db, param: Param<Owner & { projectId: number }>) =>
  db
    .selectFrom('projects.projects as p')
    .leftJoin('projects.tasks as t', 't.project_id', 'p.id')
    .select(['t.number', 't.name', 't.completed_at'])
    .where('p.id', '=', param('projectId'))
    .where('p.owner_id', '=', param('ownerId'))
    .where('p.deleted_at', 'is', null)
    .orderBy('t.number'),
);

const taskOfProject = preparedQuery(
  (db: Db, param: Param<Owner & { projectId: number; taskNumber: number }>) =>
    db
      .selectFrom('projects.projects as p')
      .leftJoin('projects.tasks as t', (join) =>
        join.onRef('t.project_id', '=', 'p.id').on('t.number', '=', param('taskNumber')),
      )
      .select(['t.number', 't.name', 't.completed_at'])
      .where('p.id', '=', param('projectId'))
      .where('p.owner_id', '=', param('ownerId'))
      .where('p.deleted_at', 'is', null),
);

/** Plain selects returning flat views; each is scoped to the owner and skips deleted projects. */
export class SqlProjectReadModel implements ProjectReadModel {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async listProjects(ownerId: UserId): Promise<ProjectView[]> {
    const rows = await projectsOfOwner.execute(this.#db, { ownerId });
    return rows.map(toProjectView);
  }

  async findProject(ownerId: UserId, projectId: number): Promise<ProjectView | undefined> {
    const row = await projectOfOwner.executeTakeFirst(this.#db, { ownerId, projectId });
    return row && toProjectView(row);
  }

  async listTasks(ownerId: UserId, projectId: number): Promise<TaskView[] | undefined> {
    const rows = await tasksOfProject.execute(this.#db, { ownerId, projectId });
    if (rows.length === 0) return undefined;
    return rows.flatMap((row) => (row.number === null ? [] : [toTaskView(row)]));
  }

  async findTask(ownerId: UserId, projectId: number, taskNumber: number) {
    const row = await taskOfProject.executeTakeFirst(this.#db, { ownerId, projectId, taskNumber });
    if (!row) return undefined;
    return { task: row.number === null ? undefined : toTaskView(row) };
  }

  listProjectSummaries(ownerId: UserId): Promise<{ id: number; name: string }[]> {
    return summariesOfOwner.execute(this.#db, { ownerId });
  }
}

function toProjectView(row: {
  id: number;
  name: string;
  maximum_number_of_incomplete_tasks: number | null;
  archived_at: Date | string | null;
}): ProjectView {
  return {
    id: row.id,
    name: row.name,
    maximumNumberOfIncompleteTasks: row.maximum_number_of_incomplete_tasks,
    archived: row.archived_at !== null,
    archivedAt: optionalIsoTimestamp(row.archived_at),
  };
}

function toTaskView(row: {
  number: number | null;
  name: string | null;
  completed_at: Date | string | null;
}): TaskView {
  return {
    number: row.number as number,
    name: row.name as string,
    completedAt: optionalIsoTimestamp(row.completed_at),
  };
}
