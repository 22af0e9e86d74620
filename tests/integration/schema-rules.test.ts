import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { accountsMigrations } from '../../src/accounts/module.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import {
  type ContextMigrations,
  migrateToLatest,
} from '../../src/building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { projectsMigrations } from '../../src/projects/module.ts';
import { freshDatabase } from '../support/test-database.ts';

// The database itself refuses a project row that breaks a rule of the domain, so that a bug
// in a command fails loudly instead of corrupting data.

let opened: { database: Database; drop(): Promise<void> } | undefined;
afterEach(async () => {
  await opened?.database.close();
  await opened?.drop();
  opened = undefined;
});

/** A fresh database migrated up to and including `until` (all migrations without it). */
async function migrated(until?: string): Promise<Kysely<any>> {
  const fresh = await freshDatabase();
  const database = openDatabase(fresh.url, { poolSize: 2 });
  opened = { database, drop: fresh.drop };
  // Every context's migrations up to `until`, as a database of that day had them.
  const upTo = (migrations: ContextMigrations) =>
    Object.fromEntries(
      Object.entries(migrations).filter(([name]) => until === undefined || name <= until),
    );
  await migrateToLatest(database, upTo(accountsMigrations), upTo(projectsMigrations));
  return database.kysely;
}

const OWNER = '00000000-0000-7000-8000-00000000a11c';

async function insertProject(db: Kysely<any>, values: Record<string, unknown> = {}) {
  await db
    .insertInto('projects.projects')
    .values({
      id: 1,
      owner_id: OWNER,
      name: 'Ruled',
      maximum_number_of_incomplete_tasks: 2,
      created_at: new Date('2026-01-01T00:00:00Z').toISOString(),
      archived_at: null,
      deleted_at: null,
      last_task_number: 2,
      incomplete_task_count: 1,
      version: 1,
      ...values,
    })
    .execute();
}

const setOnProject = (db: Kysely<any>, values: Record<string, unknown>) =>
  db.updateTable('projects.projects').set(values).where('id', '=', 1).execute();

describe('rules the schema enforces', () => {
  test('a valid project row is accepted', async () => {
    const db = await migrated();
    await insertProject(db);
    await setOnProject(db, { incomplete_task_count: 2, version: 2 });
  });

  test.each([
    ['a negative open-task counter', { incomplete_task_count: -1 }, 'not_negative'],
    ['more open tasks than tasks', { incomplete_task_count: 3 }, 'at_most_tasks'],
    ['a limit of zero', { maximum_number_of_incomplete_tasks: 0 }, 'limit_positive'],
    [
      'more open tasks than the limit',
      { maximum_number_of_incomplete_tasks: 1, incomplete_task_count: 2 },
      'limit_respected',
    ],
    [
      'an archived project with open tasks',
      { archived_at: new Date().toISOString() },
      'archived_without_open_tasks',
    ],
    [
      'a deleted project that is not archived',
      { deleted_at: new Date().toISOString() },
      'deleted_only_when_archived',
    ],
    ['a version below 1', { version: 0 }, 'version_positive'],
  ])('%s is refused, on insert and on update', async (_, values, rule) => {
    const db = await migrated();
    await expect(insertProject(db, values)).rejects.toThrow(rule);
    await insertProject(db);
    await expect(setOnProject(db, values)).rejects.toThrow(rule);
  });

  test('a task numbered 0 is refused', async () => {
    const db = await migrated();
    await insertProject(db);
    await expect(
      db
        .insertInto('projects.tasks')
        .values({
          project_id: 1,
          number: 0,
          name: 'Zero',
          completed_at: null,
          created_at: new Date().toISOString(),
        })
        .execute(),
    ).rejects.toThrow('tasks_number_positive');
  });

  test('projects broken before the rules existed are mended when migrating, keeping every task', async () => {
    const [first] = Object.keys(projectsMigrations).sort();
    const db = await migrated(first);
    const archived = new Date('2026-02-01T00:00:00Z').toISOString();
    const deleted = new Date('2026-03-01T00:00:00Z').toISOString();
    // What the concurrency bug left: a negative counter and more open tasks than the limit,
    // in an archived project; and a deleted project that was never archived, with open tasks.
    await insertProject(db, {
      id: 1,
      incomplete_task_count: -17,
      last_task_number: 0,
      maximum_number_of_incomplete_tasks: 1,
      archived_at: archived,
    });
    await insertProject(db, { id: 2, incomplete_task_count: 0, deleted_at: deleted });
    const addTask = (project_id: number, number: number, completed: boolean) =>
      db
        .insertInto('projects.tasks')
        .values({
          project_id,
          number,
          name: `Task ${number}`,
          completed_at: completed ? archived : null,
          created_at: archived,
        })
        .execute();
    await addTask(1, 1, false);
    await addTask(1, 2, true);
    await addTask(1, 3, false);
    await addTask(2, 1, false);
    await addTask(2, 2, false);

    await migrateToLatest(opened!.database, accountsMigrations, projectsMigrations);

    const { rows } = await sql<Record<string, unknown>>`
      select id, incomplete_task_count, last_task_number, maximum_number_of_incomplete_tasks,
        archived_at is not null as archived, deleted_at is not null as deleted
      from ${sql.table('projects.projects')} order by id`.execute(db);
    expect(
      rows.map((row) => ({
        ...row,
        archived: Boolean(row.archived),
        deleted: Boolean(row.deleted),
      })),
    ).toEqual([
      {
        id: 1,
        incomplete_task_count: 2,
        last_task_number: 3,
        maximum_number_of_incomplete_tasks: 2,
        archived: false,
        deleted: false,
      },
      {
        id: 2,
        incomplete_task_count: 0,
        last_task_number: 2,
        maximum_number_of_incomplete_tasks: 2,
        archived: true,
        deleted: true,
      },
    ]);
    const { rows: tasks } = await sql<{ project_id: number }>`
      select project_id from ${sql.table('projects.tasks')}`.execute(db);
    expect(tasks).toHaveLength(5);
    // Every stored row now keeps the rules: writing it again as it is is accepted.
    await db.updateTable('projects.projects').set({ version: 2 }).execute();
  });
});
