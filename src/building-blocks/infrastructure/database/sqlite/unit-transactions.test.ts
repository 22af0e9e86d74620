import { once } from 'node:events';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConcurrencyConflict } from '../../../application/concurrency-conflict.ts';
import {
  COMMIT_MODES,
  type ScratchDatabase,
  scratchDatabase,
  tick,
} from './testing/scratch-database.ts';

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

// What Database.transaction promises on SQLite, whichever way units of work are committed.
describe.each(COMMIT_MODES)('Database.transaction on SQLite, $mode', ({ groupCommit }) => {
  let scratch: ScratchDatabase;
  beforeEach(async () => {
    scratch = await scratchDatabase({ groupCommit });
  });
  afterEach(() => scratch.remove());

  test('commits what the work wrote when it resolves, and returns its result', async () => {
    const result = await scratch.database.transaction(async (tx) => {
      await scratch.insert(tx, 1);
      return 'done';
    });

    expect(result).toBe('done');
    expect(scratch.committed()).toEqual([1]);
  });

  test('rolls everything back when the work throws, and rethrows', async () => {
    const failing = scratch.database.transaction(async (tx) => {
      await scratch.insert(tx, 1);
      await scratch.insert(tx, 1); // duplicate key
    });

    await expect(failing).rejects.toThrow(/UNIQUE/);
    expect(await scratch.ids()).toEqual([]);
  });

  test('a unit that fails rolls back its own writes, not the others’', async () => {
    const { database, insert } = scratch;
    const results = await Promise.allSettled([
      database.transaction((tx) => insert(tx, 1)),
      database.transaction(async (tx) => {
        await insert(tx, 2);
        throw new Error('the second fails');
      }),
      database.transaction((tx) => insert(tx, 3)),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(scratch.committed()).toEqual([1, 3]);
  });

  test('a unit sees what the units before it wrote, in the same turn too', async () => {
    const first = scratch.database.transaction((tx) => scratch.insert(tx, 1));
    const seen = scratch.database.transaction((tx) => scratch.select(tx));

    await first;
    expect(await seen).toEqual([{ id: 1 }]);
  });

  test('holds the one connection: a query from outside waits until the transaction ends', async () => {
    let outside: Promise<unknown> | undefined;
    let outsideDone = false;
    await scratch.database.transaction(async (tx) => {
      await scratch.insert(tx, 1);
      outside = scratch.db
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
    expect(await scratch.ids()).toEqual([1, 2]);
  });

  test('transactions that wait get the connection in the order they asked for it', async () => {
    const order: number[] = [];
    const run = (id: number) =>
      scratch.database.transaction(async (tx) => {
        order.push(id);
        await tick();
        await scratch.insert(tx, id);
      });

    await Promise.all([run(1), run(2), run(3), run(4)]);

    expect(order).toEqual([1, 2, 3, 4]);
    expect(await scratch.ids()).toEqual([1, 2, 3, 4]);
  });

  test('a transaction that fails gives the connection back to the next one', async () => {
    const failing = scratch.database.transaction(async () => {
      await tick();
      throw new Error('work failed');
    });
    const next = scratch.database.transaction(async (tx) => scratch.insert(tx, 7));

    await expect(failing).rejects.toThrow('work failed');
    await next;
    expect(await scratch.ids()).toEqual([7]);
  });

  describe('beside another process on the same file', () => {
    let other: DatabaseSync;
    beforeEach(() => {
      other = new DatabaseSync(scratch.file);
    });
    afterEach(() => other.close());

    /** A unit of work that reads, then the other writes row 5, then it tries to write row 1. */
    const overtaken = () =>
      scratch.database.transaction(async (tx) => {
        await scratch.select(tx); // the transaction's snapshot starts here
        other.exec("insert into demo_items values (5, 'from the other process')");
        await scratch.insert(tx, 1);
      });

    test('a unit of work that only reads does not wait for the other’s write lock', async () => {
      other.exec("begin immediate; insert into demo_items values (9, 'not yet committed')");

      const read = await scratch.database.transaction((tx) => scratch.select(tx));

      expect(read).toEqual([]);
      other.exec('rollback');
    });

    test('a unit of work the other overtook fails with ConcurrencyConflict and writes nothing', async () => {
      await expect(overtaken()).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(await scratch.ids()).toEqual([5]);
    });

    test('a unit that fails does not keep the write lock', async () => {
      const failing = scratch.database.transaction(async (tx) => {
        await scratch.insert(tx, 1);
        throw new Error('work failed');
      });
      await expect(failing).rejects.toThrow('work failed');
      await tick();

      other.exec("insert into demo_items values (5, 'from the other process')");
      expect(await scratch.ids()).toEqual([5]);
    });

    test('after a conflict, units of work wait for the other’s write lock instead of failing', async () => {
      await expect(overtaken()).rejects.toBeInstanceOf(ConcurrencyConflict);

      // Another thread (as another process would) holds the write lock for a moment.
      const holder = new Worker(HOLD_WRITE_LOCK, {
        eval: true,
        workerData: { file: scratch.file, milliseconds: 200 },
      });
      const exited = once(holder, 'exit');
      await once(holder, 'message');
      await scratch.database.transaction(async (tx) => {
        await scratch.select(tx);
        await scratch.insert(tx, 2);
      });
      await exited;

      expect(await scratch.ids()).toEqual([2, 5, 6]);
    });
  });
});
