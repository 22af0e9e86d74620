import { sql } from 'kysely';
import type { MigrationDb } from '../../building-blocks/infrastructure/database/migrations.ts';
import type { SqlDialect } from '../../building-blocks/infrastructure/database/sql-dialect.ts';

/** A rule over the columns of one row; `c` names a column as the statement needs it. */
type RowRule = (c: (column: string) => string) => string;

/**
 * What the domain promises of a stored project, stated where the database can refuse a write
 * that breaks it: a bug in a command then fails loudly instead of corrupting data. (That the
 * counters equal the task rows spans two tables: the concurrency tests check it.)
 */
const PROJECT_RULES: Record<string, RowRule> = {
  projects_incomplete_task_count_not_negative: (c) => `${c('incomplete_task_count')} >= 0`,
  projects_incomplete_task_count_at_most_tasks: (c) =>
    `${c('incomplete_task_count')} <= ${c('last_task_number')}`,
  projects_limit_positive: (c) =>
    `${c('maximum_number_of_incomplete_tasks')} is null or ${c('maximum_number_of_incomplete_tasks')} >= 1`,
  projects_limit_respected: (c) =>
    `${c('maximum_number_of_incomplete_tasks')} is null or ${c('incomplete_task_count')} <= ${c('maximum_number_of_incomplete_tasks')}`,
  projects_archived_without_open_tasks: (c) =>
    `${c('archived_at')} is null or ${c('incomplete_task_count')} = 0`,
  projects_deleted_only_when_archived: (c) =>
    `${c('deleted_at')} is null or ${c('archived_at')} is not null`,
  projects_version_positive: (c) => `${c('version')} >= 1`,
};
const TASK_RULES: Record<string, RowRule> = {
  tasks_number_positive: (c) => `${c('number')} >= 1`,
};

/**
 * PostgreSQL: CHECK constraints, checked against every stored row as they are added (run
 * `repairBrokenProjects` first). SQLite cannot add a constraint to a table without rebuilding
 * it: a trigger before each write refuses a row that breaks a rule, naming it
 * (SQLITE_CONSTRAINT_TRIGGER), to the same effect.
 */
async function guard(
  db: MigrationDb,
  dialect: SqlDialect,
  table: string,
  rules: Record<string, RowRule>,
): Promise<void> {
  if (dialect === 'postgres') {
    for (const [name, rule] of Object.entries(rules)) {
      const check = sql.raw(rule((column) => column));
      await sql`alter table ${sql.table(table)} add constraint ${sql.id(name)} check (${check})`.execute(
        db,
      );
    }
    return;
  }
  const refusals = Object.entries(rules).map(
    ([name, rule]) =>
      sql`when not (${sql.raw(rule((column) => `new.${column}`))}) then raise(abort, ${sql.lit(`CHECK constraint failed: ${name}`)})`,
  );
  for (const event of ['insert', 'update']) {
    const trigger = `${table.replace('.', '_')}_rules_before_${event}`;
    await sql`create trigger ${sql.id(trigger)} before ${sql.raw(event)} on ${sql.table(table)}
      begin select case ${sql.join(refusals, sql` `)} end; end`.execute(db);
  }
}

/** The schema refuses, from now on, a project or task row that breaks a rule. */
export async function enforceProjectRules(db: MigrationDb, dialect: SqlDialect): Promise<void> {
  await guard(db, dialect, 'projects.projects', PROJECT_RULES);
  await guard(db, dialect, 'projects.tasks', TASK_RULES);
}

/**
 * Mends what concurrent commands could break before the rules were enforced (ADR 9), keeping
 * every task and every project a user can still see, so the rules can then hold for every
 * stored row:
 * - a deleted project that is not archived counts as archived when it was deleted;
 * - the open tasks of a deleted project count as completed when it was deleted (nobody can
 *   reach them any more);
 * - the counters are recomputed from the task rows;
 * - a project archived with open tasks is unarchived, so its owner can complete them;
 * - a limit below 1 is removed, and a limit below the open tasks is raised to their number.
 */
export async function repairBrokenProjects(db: MigrationDb, dialect: SqlDialect): Promise<void> {
  const projects = sql.table('projects.projects');
  const tasks = sql.table('projects.tasks');
  const greatest = dialect === 'postgres' ? sql`greatest` : sql`max`;
  await sql`update ${projects} set archived_at = deleted_at
    where deleted_at is not null and archived_at is null`.execute(db);
  await sql`update ${tasks} set completed_at = (select p.deleted_at from ${projects} as p
      where p.id = ${tasks}.project_id)
    where completed_at is null and project_id in
      (select id from ${projects} where deleted_at is not null)`.execute(db);
  await sql`update ${projects} set
    incomplete_task_count = (select count(*) from ${tasks} as t
      where t.project_id = ${projects}.id and t.completed_at is null),
    last_task_number = ${greatest}(last_task_number, coalesce((select max(t.number)
      from ${tasks} as t where t.project_id = ${projects}.id), 0))`.execute(db);
  await sql`update ${projects} set archived_at = null
    where archived_at is not null and deleted_at is null and incomplete_task_count > 0`.execute(db);
  await sql`update ${projects} set maximum_number_of_incomplete_tasks = null
    where maximum_number_of_incomplete_tasks < 1`.execute(db);
  await sql`update ${projects} set maximum_number_of_incomplete_tasks = incomplete_task_count
    where maximum_number_of_incomplete_tasks < incomplete_task_count`.execute(db);
}
