import { type Kysely, sql } from 'kysely';
import { type Json, Serialized } from '../../building-blocks/application/json.ts';
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

const ownedProjects = (db: Db, param: Param<Owner>) =>
  db
    .selectFrom('projects.projects')
    .select([
      'id',
      'name',
      'maximum_number_of_incomplete_tasks',
      'incomplete_task_count',
      'archived_at',
      'version',
    ])
    .where('owner_id', '=', param('ownerId'))
    .where('deleted_at', 'is', null);

// Keyset pagination: the index on (owner_id, id) starts at the key, whatever the page. The
// LIMIT is written into the SQL (see `tasksPage`): one statement per page size.
const projectsOfOwner = (fetch: number) =>
  preparedQuery((db: Db, param: Param<Owner & { after: number }>) =>
    ownedProjects(db, param).where('id', '>', param('after')).orderBy('id').limit(sql.lit(fetch)),
  );
const projectPages = new Map<number, ReturnType<typeof projectsOfOwner>>();

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

type TasksPageParams = Owner & { projectId: number; after: number };

/**
 * One row: how many rows the join gave (none when the project is not the owner's; one of
 * nulls when it has no task past the cursor; `fetch`, one more than the page, when another
 * page follows) and the tasks found, as JSON (see `JsonSql` and ADR 6).
 *
 * The tasks are a subquery of their own, ordered and limited, joined to the project: both
 * databases then read them off the primary key (project_id, number) from the cursor on and stop
 * after `fetch` rows, so a page costs the same at task 10 and at task 100,000. (Ordering the
 * joined rows instead made PostgreSQL sort every task of the project past the cursor: a first
 * page of a 100,000-task project cost 35 ms instead of 0.2.)
 *
 * `fetch` is written into the SQL, not bound: SQLite plans a statement whose LIMIT is a bound
 * parameter again on every run (5 times the cost of this query for 10 tasks). One statement
 * per status and page size, made when first asked for.
 */
function tasksPage(json: JsonSql, status: TaskStatus | undefined, fetch: number) {
  return preparedQuery((db: Db, param: Param<TasksPageParams>) => {
    let tasks = db
      .selectFrom('projects.tasks')
      .select(['number', 'name', 'completed_at'])
      .where('project_id', '=', param('projectId'))
      .where('number', '>', param('after'));
    if (status !== undefined) {
      tasks = tasks.where('completed_at', status === 'open' ? 'is' : 'is not', null);
    }
    return db
      .selectFrom('projects.projects as p')
      .leftJoin(tasks.orderBy('number').limit(sql.lit(fetch)).as('t'), (join) => join.onTrue())
      .where('p.id', '=', param('projectId'))
      .where('p.owner_id', '=', param('ownerId'))
      .where('p.deleted_at', 'is', null)
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
      ]);
  });
}

/**
 * The JSON array of tasks without its last element, the row fetched only to learn that
 * another page follows, and the number of the task that ends the page. Each element starts
 * with its number (`{"number":7,...`), a text that cannot occur inside a JSON string (its
 * quotes would be escaped), so elements are found by that prefix without parsing the array.
 */
function cutLast(tasks: Json<TaskView[]>): { page: Json<TaskView[]>; last: number } {
  const marker = '{"number":';
  const cut = tasks.lastIndexOf(`,${marker}`);
  if (cut < 0) throw new Error('A page of tasks to cut holds fewer than two tasks.');
  const page = `${tasks.slice(0, cut)}]` as Json<TaskView[]>;
  const last = Number.parseInt(page.slice(page.lastIndexOf(marker) + marker.length), 10);
  return { page, last };
}

/** The list views, written as JSON by the database (see `JsonSql` and ADR 6). */
function jsonDocuments(json: JsonSql) {
  const pages = new Map<string, ReturnType<typeof tasksPage>>();
  return {
    tasksPage: (status: TaskStatus | undefined, fetch: number) => {
      const key = `${status ?? 'all'}:${fetch}`;
      let query = pages.get(key);
      if (!query) {
        query = tasksPage(json, status, fetch);
        pages.set(key, query);
      }
      return query;
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
            .limit(sql.lit(PROJECT_SUMMARIES_LIMIT))
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
    let query = projectPages.get(limit + 1);
    if (!query) {
      query = projectsOfOwner(limit + 1);
      projectPages.set(limit + 1, query);
    }
    const rows = await query.read(this.#reads, { ownerId, after });
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
    const query = this.#documents.tasksPage(status, limit + 1);
    const [row] = await query.read(this.#reads, { ownerId, projectId, after });
    if (!row || Number(row.rows) === 0) return undefined;
    if (Number(row.rows) <= limit) return { items: Serialized.fromJson(row.tasks), next: null };
    const { page, last } = cutLast(row.tasks);
    return { items: Serialized.fromJson(page), next: last };
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
  incomplete_task_count: number;
  archived_at: Date | string | null;
}): ProjectView {
  return {
    id: row.id,
    name: row.name,
    maximumNumberOfIncompleteTasks: row.maximum_number_of_incomplete_tasks,
    numberOfIncompleteTasks: row.incomplete_task_count,
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
