import { sql } from 'kysely';
import type { MigrationDb } from './database/migrations.ts';
import type { SqlDialect } from './database/sql-dialect.ts';

/**
 * The table of a context's idempotency keys (see `KyselyIdempotencyStore`). Times are epoch
 * milliseconds: only compared, never shown.
 */
export async function createIdempotencyTable(
  db: MigrationDb,
  dialect: SqlDialect,
  table: string,
): Promise<void> {
  const millis = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable(table)
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('created_at', millis, (c) => c.notNull())
    .addColumn('claimed_at', millis, (c) => c.notNull())
    // Null while the request is in flight.
    .addColumn('status', 'integer')
    .addColumn('headers', 'text')
    .addColumn('body', 'text')
    .addPrimaryKeyConstraint(`${table.replace('.', '_')}_pkey`, ['user_id', 'key'])
    .execute();
}

/** Lets the periodic sweep of expired keys (`KyselyIdempotencyStore`) find them by age. */
export async function indexIdempotencyKeysByAge(db: MigrationDb, table: string): Promise<void> {
  await sql`create index ${sql.id(`${table.replace('.', '_')}_created_at`)} on ${sql.table(table)} (created_at)`.execute(
    db,
  );
}
