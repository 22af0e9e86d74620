import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DatabaseUnavailable } from '../../src/building-blocks/application/database-unavailable.ts';
import { openSqlite } from '../../src/building-blocks/infrastructure/database/sqlite/open-sqlite.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-busy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Another process holding the write lock for longer than the busy timeout (a long migration,
// an operator's open transaction, a process paused while it held the lock) is the database
// being busy: a 503 the client may send again, never a 500.
test('a unit of work kept from the write lock past the busy timeout fails as DatabaseUnavailable, having written nothing', async () => {
  const path = join(dir, 'busy.db');
  const sqlite = openSqlite(path);
  const db = sqlite.kysely.withTables<{ 'demo.items': { id: number } }>();
  await sql`create table demo_items (id integer primary key)`.execute(db);
  const other = new DatabaseSync(path);
  other.exec('begin immediate');
  try {
    const insert = () =>
      sqlite
        .transaction((connection) =>
          connection.executeQuery(db.insertInto('demo.items').values({ id: 1 }).compile()),
        )
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    // The first attempt is a concurrency conflict (the bus would run it again), which makes
    // the next take the lock up front and wait for it: that one is told the database is busy.
    let error = await insert();
    if (!(error instanceof DatabaseUnavailable)) error = await insert();

    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect((error as DatabaseUnavailable).nothingWritten).toBe(true);
  } finally {
    other.exec('rollback');
    other.close();
  }
  const rows = await sql<{ n: number }>`select count(*) as n from demo_items`.execute(db);
  expect(rows.rows[0]?.n).toBe(0);
  await sqlite.kysely.destroy();
  sqlite.reads.close();
}, 30_000);
