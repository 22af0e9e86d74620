import { sql } from 'kysely';
import type { Database } from './database.ts';

/** Drops every table (and, on PostgreSQL, every context schema): an empty database. */
export async function resetDatabase(database: Database, schemas: readonly string[]): Promise<void> {
  const { kysely } = database;
  if (database.dialect === 'postgres') {
    for (const schema of schemas) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(kysely);
    }
  }
  const tables = await kysely.introspection.getTables();
  for (const table of tables) {
    const name = table.schema ? sql.id(table.schema, table.name) : sql.id(table.name);
    await sql`drop table if exists ${name}`.execute(kysely);
  }
}
