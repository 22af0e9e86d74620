import { sql } from 'kysely';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { readTimestamp } from '../../src/building-blocks/infrastructure/database/timestamps.ts';
import type { OutboxMessage } from '../../src/building-blocks/messaging/outbox-message.ts';

export interface OutboxRow {
  id: string;
  type: string;
  version: number;
  payload: string;
  headers: string;
  attempts: number;
  last_error: string | null;
  processed_at: unknown;
  dead_at: unknown;
  locked_until?: unknown;
}

/** A context's outbox as stored, oldest id first. */
export async function outboxRows(database: Database, context: string): Promise<OutboxRow[]> {
  const { rows } =
    await sql<OutboxRow>`select * from ${sql.table(`${context}.outbox`)} order by id`.execute(
      database.kysely,
    );
  return rows;
}

/**
 * A context's outbox read on a connection of its own, for a test whose service has closed
 * its connections (stopped, or its process ended).
 */
export async function outboxRowsAt(url: string, context: string): Promise<OutboxRow[]> {
  const database = openDatabase(url);
  try {
    return await outboxRows(database, context);
  } finally {
    await database.close();
  }
}

/** A stored row as the relay would hand it to the transport. */
export function asMessage(row: OutboxRow, context: string): OutboxMessage {
  return {
    id: row.id,
    context,
    type: row.type,
    version: Number(row.version),
    payload: JSON.parse(row.payload),
    headers: JSON.parse(row.headers),
    occurredAt: readTimestamp(new Date()),
    attempts: Number(row.attempts),
  };
}

/** How many projects `ownerId` has. */
export async function projectCount(database: Database, ownerId: string): Promise<number> {
  const { rows } = await sql<{
    n: number | string;
  }>`select count(*) as n from ${sql.table('projects.projects')} where owner_id = ${ownerId}`.execute(
    database.kysely,
  );
  return Number(rows[0]?.n ?? 0);
}
