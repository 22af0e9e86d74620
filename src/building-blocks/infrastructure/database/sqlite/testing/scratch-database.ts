import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type Kysely, sql } from 'kysely';
import type { Database, SqlTransaction } from '../../database.ts';
import { openDatabase } from '../../open-database.ts';

export type Tables = { 'demo.items': { id: number; label: string } };

/** Both ways SQLite commits units of work, for the tests that must hold either way. */
export const COMMIT_MODES = [
  { mode: 'group commit', groupCommit: true },
  { mode: 'a transaction per unit', groupCommit: false },
] as const;

export interface ScratchDatabase {
  file: string;
  database: Database;
  /** Builds and runs Kysely queries on `demo.items` (through Kysely's executor). */
  db: Kysely<Tables>;
  /** Inserts row `id` inside a unit of work. */
  insert(tx: SqlTransaction, id: number): Promise<unknown>;
  /** Selects every id inside a unit of work. */
  select(tx: SqlTransaction): Promise<{ id: number }[]>;
  /** The ids of `demo.items`, read through Kysely (after any open group's COMMIT). */
  ids(): Promise<number[]>;
  /** The ids another connection sees: only what is committed. */
  committed(): number[];
  /** Closes the database and removes its folder. */
  remove(): Promise<void>;
}

/** A SQLite file of its own in a temporary folder, with one empty table, `demo.items`. */
export async function scratchDatabase({ groupCommit = true } = {}): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-adapter-'));
  const file = join(dir, 'test.db');
  const database = openDatabase(`sqlite:${file}`, { groupCommit });
  const db: Kysely<Tables> = database.kysely.withTables<Tables>();
  await sql`create table demo_items (id integer primary key, label text not null)`.execute(db);
  return {
    file,
    database,
    db,
    // `db` compiles what the transaction's builder would: both are the database's Kysely.
    insert: (tx, id) =>
      tx.execute(
        db
          .insertInto('demo.items')
          .values({ id, label: `item ${id}` })
          .compile(),
      ),
    select: async (tx) =>
      (await tx.execute(db.selectFrom('demo.items').select('id').compile())).rows,
    ids: async () =>
      (await db.selectFrom('demo.items').select('id').orderBy('id').execute()).map((r) => r.id),
    committed: () => {
      const observer = new DatabaseSync(file, { readOnly: true });
      try {
        return observer
          .prepare('select id from demo_items order by id')
          .all()
          .map((row) => row.id as number);
      } finally {
        observer.close();
      }
    },
    remove: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves in the next turn of the event loop, after the current turn's group COMMIT. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));
