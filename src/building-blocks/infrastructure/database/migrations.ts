import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { Database } from './database.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { DatabaseStartupError } from './wait-for-database.ts';

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

/** What bringing the schema up to date did. */
export interface MigrationOutcome {
  /** The migrations run now, in order. */
  applied: string[];
  /**
   * Migrations the database has run that this version does not know: a newer version of the
   * service migrated it (a rolling upgrade, or a rollback). This one runs on it as it is.
   */
  unknown: string[];
}

const MIGRATION_TABLE = 'schema_migrations';

/**
 * Brings the schema up to date. Kysely records what ran in its own table and holds a lock
 * while it works (an advisory lock on PostgreSQL, the write lock on SQLite), so several
 * instances starting at once run each migration exactly once.
 *
 * A database a newer version has migrated is left as it is when it already has every
 * migration of this one: an older instance restarting during a rolling upgrade comes back
 * (migrations add before they remove, so the old code still fits). One that lacks some of
 * this version's migrations and has others this version does not know matches no version:
 * that is an error that says so.
 */
export async function migrateToLatest(
  database: Database,
  ...sets: ContextMigrations[]
): Promise<MigrationOutcome> {
  const { all, migratedByNewer } = await lookForNewer(database, sets);
  if (migratedByNewer) return migratedByNewer;
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
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    // A newer instance may have migrated between the look above and the migrator's lock.
    const migratedMeanwhile = await newerSchema(database, all);
    if (migratedMeanwhile) return migratedMeanwhile;
    const failed = results.find((result) => result.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return { applied: results.map((result) => result.migrationName), unknown: [] };
}

/** Every migration of `sets`, and what to answer when a newer version migrated the database. */
async function lookForNewer(database: Database, sets: ContextMigrations[]) {
  const all: ContextMigrations = Object.assign({}, ...sets);
  return { all, migratedByNewer: await newerSchema(database, all) };
}

/**
 * When the database has run migrations `all` does not know: the outcome to answer (none
 * applied) if it has every one of `all` too, else an error; undefined when it has not.
 */
async function newerSchema(
  database: Database,
  all: ContextMigrations,
): Promise<MigrationOutcome | undefined> {
  const executed = await executedMigrations(database);
  const unknown = executed.filter((name) => !Object.hasOwn(all, name));
  if (unknown.length === 0) return undefined;
  const missing = Object.keys(all).filter((name) => !executed.includes(name));
  if (missing.length === 0) return { applied: [], unknown };
  throw new DatabaseStartupError(
    `The database was migrated by another version of the service (${unknown.join(', ')} unknown here) and lacks ${missing.join(', ')} of this one: run the version that matches it.`,
    undefined,
  );
}

/**
 * For a process that does not migrate (`RUN_MIGRATIONS_ON_START=false`): the schema must have
 * every migration of this version (a newer version's on top are told in `unknown`), or the
 * start stops in one line that says what to run.
 */
export async function checkSchema(
  database: Database,
  ...sets: ContextMigrations[]
): Promise<MigrationOutcome> {
  const { all, migratedByNewer } = await lookForNewer(database, sets);
  if (migratedByNewer) return migratedByNewer;
  const executed = new Set(await executedMigrations(database));
  const pending = Object.keys(all).filter((name) => !executed.has(name));
  if (pending.length) {
    throw new DatabaseStartupError(
      `The database lacks ${pending.length} migration(s) of this version (${pending.join(', ')}) and RUN_MIGRATIONS_ON_START=false: run \`npm run migrate\` first.`,
      undefined,
    );
  }
  return { applied: [], unknown: [] };
}

/** The names of the migrations the database has run; none before the first. */
async function executedMigrations(database: Database): Promise<string[]> {
  const tables = await database.kysely.introspection.getTables();
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return [];
  const rows = await database.kysely
    .withTables<{ [MIGRATION_TABLE]: { name: string } }>()
    .selectFrom(MIGRATION_TABLE)
    .select('name')
    .execute();
  return rows.map((row) => row.name);
}
