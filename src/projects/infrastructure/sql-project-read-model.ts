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
import {
  type Page,
  type PageRequest,
  PROJECT_SUMMARIES_LIMIT,
  type ProjectReadModel,
  type TaskStatus,
  type Versioned,
} from '../application/queries/project-read-model.ts';
import type { ProjectSummary, ProjectView, TaskView } from '../application/views.ts';
import type { ProjectsTables } from './tables.ts';

type Db = Kysely<ProjectsTables>;
type Owner = { ownerId: string };
/** A page's bounds as the SQL takes them: keys after `after`, `fetch` rows (one past the page). */
type Keyset = { after: number; fetch: number };

const ownedProjects = (db: Db, param: Param<Owner>) =>
  db
    .selectFrom('projects.projects')
    .select(['id', 'name', 'maximum_number_of_incomplete_tasks', 'archived_at', 'version'])
    .where('owner_id', '=', param('ownerId'))
    .where('deleted_at', 'is', null);

// Keyset pagination: the index on (owner_id, id) starts at the key, whatever the page.
const projectsOfOwner = preparedQuery((db: Db, param: Param<Owner & Keyset>) =>
  ownedProjects(db, param).where('id', '>', param('after')).orderBy('id').limit(param('fetch')),
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

type TasksPageParams = Owner & Keyset & { projectId: number; limit: number };

/**
 * One row: how many rows the join gave (none when the project is not the owner's), how many
 * tasks it found (one more than the page when more follow), the page's last number and the
 * page's tasks as JSON (see `JsonSql` and ADR 6). The join starts at the cursor's number on
 * the tasks' primary key (project_id, number) and stops after `fetch` rows: a page costs the
 * same at task 10 and at task 100,000.
 */
function tasksPage(json: JsonSql, status: TaskStatus | undefined) {
  return preparedQuery((db: Db, param: Param<TasksPageParams>) => {
    const onPage = sql<boolean>`${sql.ref('t.position')} <= ${param('limit')}`;
    return db
      .selectFrom(
        db
          .selectFrom('projects.projects as p')
          .leftJoin('projects.tasks as t', (join) => {
            const after = join
              .onRef('t.project_id', '=', 'p.id')
              .on('t.number', '>', param('after'));
            if (status === undefined) return after;
            return after.on('t.completed_at', status === 'open' ? 'is' : 'is not', null);
          })
          .select([
            't.number',
            't.name',
            't.completed_at',
            sql<number>`row_number() over (order by ${sql.ref('t.number')})`.as('position'),
          ])
          .where('p.id', '=', param('projectId'))
          .where('p.owner_id', '=', param('ownerId'))
          .where('p.deleted_at', 'is', null)
          .orderBy('t.number')
          .limit(param('fetch'))
          .as('t'),
      )
      .select((eb) => [
        eb.fn.countAll().as('rows'),
        eb.fn.count('t.number').as('found'),
        sql<number | null>`max(${sql.ref('t.number')}) filter (where ${onPage})`.as('last'),
        json
          .arrayOf<TaskView>(
            json.object({
              number: sql.ref('t.number'),
              name: sql.ref('t.name'),
              completedAt: json.timestamp(sql.ref('t.completed_at')),
            }),
            {
              orderBy: sql.ref('t.number'),
              where: sql`${sql.ref('t.number')} is not null and ${onPage}`,
            },
          )
          .as('tasks'),
      ]);
  });
}

/** The list views, written as JSON by the database (see `JsonSql` and ADR 6). */
function jsonDocuments(json: JsonSql) {
  return {
    tasksPage: {
      all: tasksPage(json, undefined),
      open: tasksPage(json, 'open'),
      completed: tasksPage(json, 'completed'),
    },
    summariesOfOwner: preparedQuery((db: Db, param: Param<Owner>) =>
      db
        .selectFrom(
          db
            .selectFrom('projects.projects')
            .select(['id', 'name'])
            .where('owner_id', '=', param('ownerId'))
            .where('deleted_at', 'is', null)
            .orderBy('id')
            .limit(PROJECT_SUMMARIES_LIMIT)
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

  async listProjects(ownerId: UserId, { limit, after = 0 }: PageRequest) {
    const rows = await projectsOfOwner.read(this.#reads, { ownerId, after, fetch: limit + 1 });
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? (page.at(-1)?.id ?? null) : null;
    return { items: page.map(toProjectView), next };
  }

  async findProject(
    ownerId: UserId,
    projectId: number,
  ): Promise<Versioned<ProjectView> | undefined> {
    const [row] = await projectOfOwner.read(this.#reads, { ownerId, projectId });
    return row && { view: toProjectView(row), version: row.version };
  }

  async listTasks(
    ownerId: UserId,
    projectId: number,
    { limit, after = 0, status }: PageRequest & { status?: TaskStatus },
  ): Promise<Page<Serialized<TaskView[]>> | undefined> {
    const query = this.#documents.tasksPage[status ?? 'all'];
    const [row] = await query.read(this.#reads, {
      ownerId,
      projectId,
      after,
      limit,
      fetch: limit + 1,
    });
    if (!row || Number(row.rows) === 0) return undefined;
    const next = Number(row.found) > limit ? Number(row.last) : null;
    return { items: Serialized.fromJson(row.tasks), next };
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
