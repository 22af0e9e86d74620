import { sql } from 'kysely';
import type { MigrationDb } from '../infrastructure/database/migrations.ts';
import type { SqlDialect } from '../infrastructure/database/sql-dialect.ts';
import type { Timestamp } from '../infrastructure/database/timestamps.ts';

/** `<context>.outbox`: the events a context's units of work committed, until delivered. */
export interface OutboxTable {
  id: string;
  type: string;
  version: number;
  /** JSON text. */
  payload: string;
  /** JSON text: an object of strings. */
  headers: string;
  occurred_at: Timestamp;
  /** Failed deliveries so far. */
  attempts: number;
  /** Not delivered before this time (a retry's back-off). */
  next_attempt_at: Timestamp;
  /** Claimed by a relay (or the process that wrote it) until then. */
  locked_until: Timestamp | null;
  last_error: string | null;
  processed_at: Timestamp | null;
  dead_at: Timestamp | null;
}

/** `<context>.inbox`: which of the context's handlers processed which message. */
export interface InboxTable {
  message_id: string;
  handler: string;
  processed_at: Timestamp;
}

/**
 * Creates a context's outbox and inbox: for each context's migrations (the tables live in
 * its schema on PostgreSQL, prefixed with its name on SQLite).
 */
export async function createMessageTables(
  db: MigrationDb,
  dialect: SqlDialect,
  context: string,
): Promise<void> {
  const id = dialect === 'postgres' ? 'uuid' : 'text';
  const time = dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable(`${context}.outbox`)
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('occurred_at', time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('locked_until', time)
    .addColumn('last_error', 'text')
    .addColumn('processed_at', time)
    .addColumn('dead_at', time)
    .execute();
  // What the relay scans: the messages still to deliver, in id order. Partial, so the rows
  // kept for the retention period cost the scan nothing.
  await sql`create index ${sql.id(`${context}_outbox_pending`)} on ${sql.table(`${context}.outbox`)} (id) where processed_at is null and dead_at is null`.execute(
    db,
  );
  await db.schema
    .createTable(`${context}.inbox`)
    .addColumn('message_id', id, (c) => c.notNull())
    .addColumn('handler', 'text', (c) => c.notNull())
    .addColumn('processed_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint(`${context}_inbox_pkey`, ['message_id', 'handler'])
    .execute();
}

/**
 * The dead letters of a context's outbox, indexed apart: `/metrics` and `npm run messages --
 * stats` count them at every scrape, and without it the count read every row kept for the
 * retention period.
 */
export async function indexDeadLetters(db: MigrationDb, context: string): Promise<void> {
  await sql`create index ${sql.id(`${context}_outbox_dead`)} on ${sql.table(`${context}.outbox`)} (dead_at) where dead_at is not null`.execute(
    db,
  );
}
