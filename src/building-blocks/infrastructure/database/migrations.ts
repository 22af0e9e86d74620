import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { Database } from './database.ts';
import type { SqlDialect } from './sql-dialect.ts';

/**
 * A schema change owned by one context. It gets the dialect so it can, for instance,
 * create a PostgreSQL schema that SQLite does not have.
 */
export interface ContextMigration {
  up(db: MigrationDb, dialect: SqlDialect): Promise<void>;
}

/**
 * Migrations see the database untyped: they must keep working when today's table types
 * have moved on (Kysely's own advice).
 */
// biome-ignore lint/suspicious/noExplicitAny: see above.
export type MigrationDb = Kysely<any>;

/**
 * Migrations keyed by name. Names sort in the order they must run, across contexts:
 * `YYYYMMDD-NN-context-what`.
 */
export type ContextMigrations = Record<string, ContextMigration>;

/**
 * Brings the schema up to date. Kysely records what ran in its own table and holds a lock
 * while it works (an advisory lock on PostgreSQL, the write lock on SQLite), so several
 * instances starting at once run each migration exactly once.
 */
export async function migrateToLatest(
  database: Database,
  ...sets: ContextMigrations[]
): Promise<string[]> {
  const all: ContextMigrations = Object.assign({}, ...sets);
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(all).map(([name, migration]): [string, Migration] => [
          name,
          { up: (db) => migration.up(db, database.dialect) },
        ]),
      ),
  };
  const migrator = new Migrator({
    db: database.kysely,
    provider,
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return results.map((result) => result.migrationName);
}
