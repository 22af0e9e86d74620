import { type Kysely, sql } from 'kysely';
import { Serialized } from '../../building-blocks/application/json.ts';
import { type JsonSql, jsonSql } from '../../building-blocks/infrastructure/database/json-sql.ts';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { ReadConnection } from '../../building-blocks/infrastructure/database/read-connection.ts';
import { optionalIsoTimestamp } from '../../building-blocks/infrastructure/database/timestamps.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { ProjectReadModel } from '../application/queries/project-read-model.ts';
import type { ProjectSummary, ProjectView, TaskView } from '../application/views.ts';
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

/** The list views, written as JSON by the database (see `JsonSql` and ADR 6). */
function jsonDocuments(json: JsonSql) {
  return {
    // One row: how many rows the join gave (none when the project is not the owner's, one of
    // nulls for a project without tasks) and the tasks by number.
    tasksOfProject: preparedQuery((db: Db, param: Param<Owner & { projectId: number }>) =>
      db
        .selectFrom(
          db
            .selectFrom('projects.projects as p')
            .leftJoin('projects.tasks as t', 't.project_id', 'p.id')
            .select(['t.number', 't.name', 't.completed_at'])
            .where('p.id', '=', param('projectId'))
            .where('p.owner_id', '=', param('ownerId'))
            .where('p.deleted_at', 'is', null)
            .orderBy('t.number')
            .as('t'),
        )
        .select((eb) => [
          eb.fn.countAll().as('rows'),
          json
            .arrayOf<TaskView>(
              json.object({
                number: sql.ref('t.number'),
                name: sql.ref('t.name'),
                completedAt: json.timestamp(sql.ref('t.completed_at')),
              }),
              { orderBy: sql.ref('t.number'), where: sql`${sql.ref('t.number')} is not null` },
            )
            .as('tasks'),
        ]),
    ),
    summariesOfOwner: preparedQuery((db: Db, param: Param<Owner>) =>
      db
        .selectFrom(
          db
            .selectFrom('projects.projects')
            .select(['id', 'name'])
            .where('owner_id', '=', param('ownerId'))
            .where('deleted_at', 'is', null)
            .orderBy('id')
            .as('p'),
        )
        .select(
          json
            .arrayOf<ProjectSummary>(
              json.object({ id: sql.ref('p.id'), name: sql.ref('p.name') }),
              { orderBy: sql.ref('p.id') },
            )
            .as('projects'),
        ),
    ),
  };
}

/**
 * Plain selects returning flat views, on the read connection (never inside a command's
 * transaction); each is scoped to the owner and skips deleted projects.
 */
export class SqlProjectReadModel implements ProjectReadModel {
  readonly #reads: ReadConnection;
  readonly #documents: ReturnType<typeof jsonDocuments>;

  constructor(reads: ReadConnection) {
    this.#reads = reads;
    this.#documents = jsonDocuments(jsonSql(reads.dialect));
  }

  async listProjects(ownerId: UserId): Promise<ProjectView[]> {
    const rows = await projectsOfOwner.read(this.#reads, { ownerId });
    return rows.map(toProjectView);
  }

  async findProject(ownerId: UserId, projectId: number): Promise<ProjectView | undefined> {
    const [row] = await projectOfOwner.read(this.#reads, { ownerId, projectId });
    return row && toProjectView(row);
  }

  async listTasks(ownerId: UserId, projectId: number): Promise<Serialized<TaskView[]> | undefined> {
    const [row] = await this.#documents.tasksOfProject.read(this.#reads, { ownerId, projectId });
    return row && Number(row.rows) > 0 ? Serialized.fromJson(row.tasks) : undefined;
  }

  async findTask(ownerId: UserId, projectId: number, taskNumber: number) {
    const [row] = await taskOfProject.read(this.#reads, { ownerId, projectId, taskNumber });
    if (!row) return undefined;
    return { task: row.number === null ? undefined : toTaskView(row) };
  }

  async listProjectSummaries(ownerId: UserId): Promise<Serialized<ProjectSummary[]>> {
    const [row] = await this.#documents.summariesOfOwner.read(this.#reads, { ownerId });
    return row ? Serialized.fromJson(row.projects) : Serialized.of([]);
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
