import type {
  ContextMigrations,
  MigrationDb,
} from '../../building-blocks/infrastructure/database/migrations.ts';
import {
  createIdempotencyTable,
  indexIdempotencyKeysByAge,
} from '../../building-blocks/infrastructure/idempotency-table.ts';
import {
  createMessageTables,
  indexDeadLetters,
} from '../../building-blocks/messaging/message-tables.ts';
import { enforceProjectRules, repairBrokenProjects } from './schema-rules.ts';

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
      await repairBrokenProjects(db, dialect);
      await enforceProjectRules(db, dialect);
    },
  },
  '20261130-03-projects-idempotency-keys': {
    async up(db: MigrationDb, dialect) {
      await createIdempotencyTable(db, dialect, 'projects.idempotency_keys');
    },
  },
  '20261130-02-projects-outbox-and-inbox': {
    async up(db: MigrationDb, dialect) {
      await createMessageTables(db, dialect, 'projects');
    },
  },
  '20261201-02-projects-outbox-dead-letter-index': {
    async up(db: MigrationDb) {
      await indexDeadLetters(db, 'projects');
    },
  },
  '20261202-01-projects-owners': {
    async up(db: MigrationDb, dialect) {
      const postgres = dialect === 'postgres';
      // Rows are written as projects are made for an owner and when an account is deleted:
      // an owner without one has simply never been seen here.
      await db.schema
        .createTable('projects.owners')
        .addColumn('id', postgres ? 'uuid' : 'text', (c) => c.primaryKey().notNull())
        .addColumn('retired_at', postgres ? 'timestamptz' : 'text')
        .execute();
    },
  },
  '20261203-01-projects-idempotency-keys-by-age': {
    async up(db: MigrationDb) {
      await indexIdempotencyKeysByAge(db, 'projects.idempotency_keys');
    },
  },
  '20261203-02-projects-owners-welcomed': {
    async up(db: MigrationDb, dialect) {
      // Owners seen before have no date: a starter project is still made for them once.
      await db.schema
        .alterTable('projects.owners')
        .addColumn('welcomed_at', dialect === 'postgres' ? 'timestamptz' : 'text')
        .execute();
    },
  },
};
