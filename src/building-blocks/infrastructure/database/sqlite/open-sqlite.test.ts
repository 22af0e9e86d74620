import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openSqlite } from './open-sqlite.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'open-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Tables = { 'demo.items': { id: number } };

describe('openSqlite', () => {
  test('makes the folder of the file, and names schema.table as schema_table', async () => {
    const sqlite = openSqlite(join(dir, 'not', 'yet', 'there.db'));
    try {
      const db = sqlite.kysely.withTables<Tables>();
      await sql`create table demo_items (id integer primary key)`.execute(db);
      await db.insertInto('demo.items').values({ id: 1 }).execute();

      const rows = await sql<{ id: number }>`select id from demo_items`.execute(db);
      expect(rows.rows).toEqual([{ id: 1 }]);
    } finally {
      await sqlite.kysely.destroy();
      sqlite.reads.close();
    }
  });

  test('in memory, reads go through the one connection and see what units of work committed', async () => {
    const sqlite = openSqlite(':memory:');
    try {
      const db = sqlite.kysely.withTables<Tables>();
      await sql`create table demo_items (id integer primary key)`.execute(db);
      await sqlite.transaction((connection) =>
        connection.executeQuery(db.insertInto('demo.items').values({ id: 1 }).compile()),
      );

      const query = db.selectFrom('demo.items').select('id').compile();
      expect(await sqlite.reads.all(query)).toEqual([{ id: 1 }]);
    } finally {
      await sqlite.kysely.destroy();
    }
  });
});
