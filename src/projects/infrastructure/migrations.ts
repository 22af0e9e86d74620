import { sql } from 'kysely';
import type {
  ContextMigrations,
  MigrationDb,
} from '../../building-blocks/infrastructure/database/migrations.ts';
import type { SqlDialect } from '../../building-blocks/infrastructure/database/sql-dialect.ts';
import { createMessageTables } from '../../building-blocks/messaging/message-tables.ts';

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
 * PostgreSQL: CHECK constraints, `not valid` so that a database written by an older version
 * with broken rows still migrates (a broken row is refused at its next write). SQLite cannot
 * add a constraint to a table without rebuilding it: a trigger before each write refuses a row
 * that breaks a rule, naming it (SQLITE_CONSTRAINT_TRIGGER), to the same effect.
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
      await sql`alter table ${sql.table(table)} add constraint ${sql.id(name)} check (${check}) not valid`.execute(
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

export const projectsMigrations: ContextMigrations = {
  '20261124-02-projects-projects-and-tasks': {
    async up(db: MigrationDb, dialect) {
      const postgres = dialect === 'postgres';
      const timestamp = postgres ? 'timestamptz' : 'text';
      if (postgres) await db.schema.createSchema('projects').ifNotExists().execute();

      await db.schema
        .createTable('projects.projects')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        // No foreign key to accounts: contexts own their tables and meet only through events.
        .addColumn('owner_id', postgres ? 'uuid' : 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('maximum_number_of_incomplete_tasks', 'integer')
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('archived_at', timestamp)
        .addColumn('deleted_at', timestamp)
        .addColumn('last_task_number', 'integer', (c) => c.notNull())
        .addColumn('incomplete_task_count', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('projects_projects_owner_idx')
        .on('projects.projects')
        .columns(['owner_id', 'id'])
        .execute();

      await db.schema
        .createTable('projects.tasks')
        .addColumn('project_id', 'integer', (c) =>
          c.notNull().references('projects.projects.id').onDelete('cascade'),
        )
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('completed_at', timestamp)
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('projects_tasks_pkey', ['project_id', 'number'])
        .execute();

      await db.schema
        .createTable('projects.sequences')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull())
        .execute();
      await db.insertInto('projects.sequences').values({ name: 'project', value: 0 }).execute();
    },
  },
  '20261130-01-projects-rules-in-the-schema': {
    async up(db: MigrationDb, dialect) {
      // Counters broken before these rules existed are recomputed from the rows first.
      const greatest = dialect === 'postgres' ? sql`greatest` : sql`max`;
      await sql`update ${sql.table('projects.projects')} set
        incomplete_task_count = (select count(*) from ${sql.table('projects.tasks')} as t
          where t.project_id = ${sql.table('projects.projects')}.id and t.completed_at is null),
        last_task_number = ${greatest}(last_task_number, coalesce((select max(t.number)
          from ${sql.table('projects.tasks')} as t
          where t.project_id = ${sql.table('projects.projects')}.id), 0))`.execute(db);
      await guard(db, dialect, 'projects.projects', PROJECT_RULES);
      await guard(db, dialect, 'projects.tasks', TASK_RULES);
    },
  },
  '20261130-02-projects-outbox-and-inbox': {
    async up(db: MigrationDb, dialect) {
      await createMessageTables(db, dialect, 'projects');
    },
  },
};
