import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DatabaseStartupError } from '../wait-for-database.ts';
import { openSqlite } from './open-sqlite.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'open-sqlite-'));
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

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

  test('refuses, in one line, a file whose folder cannot be made', () => {
    writeFileSync(join(dir, 'a-file'), '');

    const opening = () => openSqlite(join(dir, 'a-file', 'sub', 'app.db'));

    expect(opening).toThrow(DatabaseStartupError);
    expect(opening).toThrow(/^The folder of the SQLite database .* cannot be made \(ENOTDIR/);
  });

  test('refuses, in one line, a path that names a folder, whoever runs it', () => {
    const opening = () => openSqlite(dir);

    expect(opening).toThrow(DatabaseStartupError);
    expect(opening).toThrow(`DATABASE_URL names the folder ${dir}, not a file`);
  });

  // Root may write whatever its permissions say (a read-only mount stops it: not made here).
  test.skipIf(process.getuid?.() === 0)(
    'refuses, in one line, a file or a folder it cannot write',
    () => {
      const file = join(dir, 'read-only.db');
      writeFileSync(file, '');
      chmodSync(file, 0o444);
      const folder = join(dir, 'read-only');
      mkdirSync(folder);
      chmodSync(folder, 0o555);

      for (const path of [file, join(folder, 'app.db')]) {
        const opening = () => openSqlite(path);
        expect(opening).toThrow(DatabaseStartupError);
        expect(opening).toThrow(/^The SQLite database .* cannot be written \(EACCES/);
      }
    },
  );

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
