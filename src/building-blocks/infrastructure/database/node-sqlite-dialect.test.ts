import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConcurrencyConflict } from '../../application/concurrency-conflict.ts';
import { type Database, openDatabase, type SqlTransaction } from './database.ts';
import { toSqliteValue } from './sqlite/connection.ts';
import { type Param, preparedQuery } from './prepared-query.ts';

type Tables = { 'demo.items': { id: number; label: string } };

let dir: string;
let database: Database;
let db: Kysely<Tables>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-adapter-'));
  database = openDatabase(`sqlite:${join(dir, 'test.db')}`);
  db = database.kysely.withTables<Tables>();
  await sql`create table demo_items (id integer primary key, label text not null)`.execute(db);
});
afterEach(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A worker that inserts row 6 under the write lock, holds it a while, then commits. */
const HOLD_WRITE_LOCK = `
  const { DatabaseSync } = require('node:sqlite');
  const { parentPort, workerData } = require('node:worker_threads');
  const db = new DatabaseSync(workerData.file);
  db.exec("begin immediate; insert into demo_items values (6, 'held')");
  parentPort.postMessage('locked');
  setTimeout(() => {
    db.exec('commit');
    db.close();
  }, workerData.milliseconds);
`;
const insertOneAndTwo = () =>
  db
    .insertInto('demo.items')
    .values([
      { id: 1, label: 'one' },
      { id: 2, label: 'two' },
    ])
    .execute();

describe('the node:sqlite dialect', () => {
  test('names schema.table as schema_table', async () => {
    await db.insertInto('demo.items').values({ id: 1, label: 'one' }).execute();

    const rows = await sql<{ label: string }>`select label from demo_items`.execute(db);

    expect(rows.rows).toEqual([{ label: 'one' }]);
  });

  test('runs in WAL mode with foreign keys on', async () => {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);

    expect(mode.rows[0]?.journal_mode).toBe('wal');
    expect(keys.rows[0]?.foreign_keys).toBe(1);
  });

  test('a transaction that throws leaves nothing behind', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('demo.items').values({ id: 1, label: 'one' }).execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');

    expect(await db.selectFrom('demo.items').selectAll().execute()).toEqual([]);
  });

  test('concurrent transactions never see or mix each other’s writes', async () => {
    const seenBySecond: number[] = [];
    const first = db.transaction().execute(async (trx) => {
      await trx.insertInto('demo.items').values({ id: 1, label: 'first' }).execute();
      await tick();
      await tick();
      throw new Error('first rolls back');
    });
    const second = db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('demo.items').select('id').execute();
      seenBySecond.push(...rows.map((row) => row.id));
      await trx.insertInto('demo.items').values({ id: 2, label: 'second' }).execute();
    });

    await expect(first).rejects.toThrow('first rolls back');
    await second;

    expect(seenBySecond).toEqual([]);
    expect(await db.selectFrom('demo.items').select('id').execute()).toEqual([{ id: 2 }]);
  });

  test('returns each row as an object of its columns, nulls included, rows in order', async () => {
    await insertOneAndTwo();

    const rows = await sql<{ id: number; label: string; note: null }>`
      select id, label, null as note from demo_items order by id`.execute(db);

    expect(rows.rows).toStrictEqual([
      { id: 1, label: 'one', note: null },
      { id: 2, label: 'two', note: null },
    ]);
    expect(Object.keys(rows.rows[1] ?? {})).toEqual(['id', 'label', 'note']);
  });

  test('refuses a result column that would set a row’s prototype', async () => {
    await expect(sql`select 1 as "__proto__"`.execute(db)).rejects.toThrow(/__proto__/);
  });

  test('binds dates, booleans and undefined', () => {
    expect(toSqliteValue(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(toSqliteValue(true)).toBe(1);
    expect(toSqliteValue(false)).toBe(0);
    expect(toSqliteValue(undefined)).toBeNull();
  });
});

describe('the read connection', () => {
  const readIds = async () =>
    (
      await database.reads.all<{ id: number }>(
        db.selectFrom('demo.items').select('id').orderBy('id').compile(),
      )
    ).map((row) => row.id);

  test('the reads of one turn of the event loop share a snapshot; the next turn takes a new one', async () => {
    const other = new DatabaseSync(join(dir, 'test.db'));
    try {
      expect(await readIds()).toEqual([]);
      other.exec("insert into demo_items values (5, 'from another process')");

      expect(await readIds()).toEqual([]);
      await tick();
      expect(await readIds()).toEqual([5]);
    } finally {
      other.close();
    }
  });

  test('a read sees what this process wrote before it, in the same turn too', async () => {
    expect(await readIds()).toEqual([]);
    await db.insertInto('demo.items').values({ id: 1, label: 'kysely' }).execute();
    expect(await readIds()).toEqual([1]);

    await database.transaction((tx) =>
      tx.execute(
        (tx.builder as Kysely<Tables>)
          .insertInto('demo.items')
          .values({ id: 2, label: 'unit' })
          .compile(),
      ),
    );
    expect(await readIds()).toEqual([1, 2]);
  });
});

describe('preparedQuery', () => {
  const byId = preparedQuery((kysely: Kysely<Tables>, param: Param<{ id: number }>) =>
    kysely.selectFrom('demo.items').select('label').where('id', '=', param('id')),
  );

  test('runs one compiled query with new values each time, in a transaction or on the reads', async () => {
    await insertOneAndTwo();

    const inTransaction = await database.transaction(async (tx) => {
      const transaction = tx as unknown as SqlTransaction<Tables>;
      return [
        await byId.executeTakeFirst(transaction, { id: 1 }),
        await byId.execute(transaction, { id: 2 }),
        await byId.executeTakeFirst(transaction, { id: 3 }),
      ];
    });
    expect(inTransaction).toEqual([{ label: 'one' }, [{ label: 'two' }], undefined]);
    expect(await byId.read(database.reads, { id: 2 })).toEqual([{ label: 'two' }]);
  });
});

describe('Database.transaction', () => {
  const insert = (tx: SqlTransaction, id: number) =>
    tx.execute(
      (tx.builder as Kysely<Tables>)
        .insertInto('demo.items')
        .values({ id, label: `item ${id}` })
        .compile(),
    );
  const ids = async () =>
    (await db.selectFrom('demo.items').select('id').orderBy('id').execute()).map((r) => r.id);

  test('commits what the work wrote when it resolves, and returns its result', async () => {
    const result = await database.transaction(async (tx) => {
      await insert(tx, 1);
      return 'done';
    });

    expect(result).toBe('done');
    expect(await ids()).toEqual([1]);
  });

  test('rolls everything back when the work throws, and rethrows', async () => {
    const failing = database.transaction(async (tx) => {
      await insert(tx, 1);
      await insert(tx, 1); // duplicate key
    });

    await expect(failing).rejects.toThrow(/UNIQUE/);
    expect(await ids()).toEqual([]);
  });

  test('holds the one connection: a query from outside waits until the transaction ends', async () => {
    let outside: Promise<unknown> | undefined;
    let outsideDone = false;
    await database.transaction(async (tx) => {
      await insert(tx, 1);
      outside = db
        .insertInto('demo.items')
        .values({ id: 2, label: 'outside' })
        .execute()
        .then(() => {
          outsideDone = true;
        });
      await tick();
      expect(outsideDone).toBe(false);
    });
    await outside;

    expect(outsideDone).toBe(true);
    expect(await ids()).toEqual([1, 2]);
  });

  test('transactions that wait get the connection in the order they asked for it', async () => {
    const order: number[] = [];
    const run = (id: number) =>
      database.transaction(async (tx) => {
        order.push(id);
        await tick();
        await insert(tx, id);
      });

    await Promise.all([run(1), run(2), run(3), run(4)]);

    expect(order).toEqual([1, 2, 3, 4]);
    expect(await ids()).toEqual([1, 2, 3, 4]);
  });

  test('a Kysely transaction holds the connection against Database.transaction too', async () => {
    let entered: () => void = () => {};
    const inKysely = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let leave: () => void = () => {};
    const left = new Promise<void>((resolve) => {
      leave = resolve;
    });
    const kyselyTransaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('demo.items').values({ id: 1, label: 'kysely' }).execute();
      entered();
      await left;
    });
    await inKysely;

    let started = false;
    const ours = database.transaction(async (tx) => {
      started = true;
      await insert(tx, 2);
    });
    await tick();
    expect(started).toBe(false);

    leave();
    await Promise.all([kyselyTransaction, ours]);
    expect(started).toBe(true);
    expect(await ids()).toEqual([1, 2]);
  });

  describe('group commit: the units of work of one turn of the event loop', () => {
    /** What another connection sees: only what is committed. */
    const committed = () => {
      const observer = new DatabaseSync(join(dir, 'test.db'), { readOnly: true });
      try {
        return observer
          .prepare('select id from demo_items order by id')
          .all()
          .map((row) => row.id);
      } finally {
        observer.close();
      }
    };

    test('share one COMMIT: no unit is committed or answered before the last has run', async () => {
      let firstAnswered = false;
      let duringSecond: { committed: unknown[]; firstAnswered: boolean } | undefined;
      const first = database
        .transaction((tx) => insert(tx, 1))
        .then(() => {
          firstAnswered = true;
        });
      const second = database.transaction(async (tx) => {
        await insert(tx, 2);
        duringSecond = { committed: committed(), firstAnswered };
      });

      await Promise.all([first, second]);

      expect(duringSecond).toEqual({ committed: [], firstAnswered: false });
      expect(committed()).toEqual([1, 2]);
    });

    test('a unit that fails rolls back its own writes, not the others’', async () => {
      const results = await Promise.allSettled([
        database.transaction((tx) => insert(tx, 1)),
        database.transaction(async (tx) => {
          await insert(tx, 2);
          throw new Error('the second fails');
        }),
        database.transaction((tx) => insert(tx, 3)),
      ]);

      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(committed()).toEqual([1, 3]);
    });

    test('a Kysely transaction commits the open group before it begins', async () => {
      const unit = database.transaction((tx) => insert(tx, 1));
      const kyselyTransaction = db
        .transaction()
        .execute((trx) =>
          trx.insertInto('demo.items').values({ id: 2, label: 'kysely' }).execute(),
        );

      await Promise.all([unit, kyselyTransaction]);
      expect(committed()).toEqual([1, 2]);
    });

    test('closing the database commits the open group first', async () => {
      const unit = database.transaction((tx) => insert(tx, 1));
      await database.close();

      await unit;
      expect(committed()).toEqual([1]);
    });
  });

  describe('beside another process on the same file', () => {
    let other: DatabaseSync;
    beforeEach(() => {
      other = new DatabaseSync(join(dir, 'test.db'));
    });
    afterEach(() => other.close());

    const select = (tx: SqlTransaction) =>
      tx.execute((tx.builder as Kysely<Tables>).selectFrom('demo.items').select('id').compile());

    test('a unit of work that only reads does not wait for the other’s write lock', async () => {
      other.exec("begin immediate; insert into demo_items values (9, 'not yet committed')");

      const read = await database.transaction(async (tx) => (await select(tx)).rows);

      expect(read).toEqual([]);
      other.exec('rollback');
    });

    /** A unit of work that reads, then the other writes row 5, then it tries to write row 1. */
    const overtaken = () =>
      database.transaction(async (tx) => {
        await select(tx); // the transaction's snapshot starts here
        other.exec("insert into demo_items values (5, 'from the other process')");
        await insert(tx, 1);
      });

    test('a unit of work the other overtook fails with ConcurrencyConflict and writes nothing', async () => {
      await expect(overtaken()).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(await ids()).toEqual([5]);
    });

    test('a unit that fails alone does not keep the write lock: its group ends with the turn', async () => {
      const failing = database.transaction(async (tx) => {
        await insert(tx, 1);
        throw new Error('work failed');
      });
      await expect(failing).rejects.toThrow('work failed');
      await tick();

      other.exec("insert into demo_items values (5, 'from the other process')");
      expect(await ids()).toEqual([5]);
    });

    test('when the other overtakes a group, every unit in it fails with ConcurrencyConflict', async () => {
      const reader = database.transaction(async (tx) => (await select(tx)).rows);
      const writer = overtaken();

      await expect(reader).rejects.toBeInstanceOf(ConcurrencyConflict);
      await expect(writer).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(await ids()).toEqual([5]);
    });

    test('after a conflict, units of work wait for the other’s write lock instead of failing', async () => {
      await expect(overtaken()).rejects.toBeInstanceOf(ConcurrencyConflict);

      // Another thread (as another process would) holds the write lock for a moment.
      const holder = new Worker(HOLD_WRITE_LOCK, {
        eval: true,
        workerData: { file: join(dir, 'test.db'), milliseconds: 200 },
      });
      const exited = once(holder, 'exit');
      await once(holder, 'message');
      await database.transaction(async (tx) => {
        await select(tx);
        await insert(tx, 2);
      });
      await exited;

      expect(await ids()).toEqual([2, 5, 6]);
    });
  });

  test('a transaction that fails gives the connection back to the next one', async () => {
    const failing = database.transaction(async () => {
      await tick();
      throw new Error('work failed');
    });
    const next = database.transaction(async (tx) => insert(tx, 7));

    await expect(failing).rejects.toThrow('work failed');
    await next;
    expect(await ids()).toEqual([7]);
  });
});
