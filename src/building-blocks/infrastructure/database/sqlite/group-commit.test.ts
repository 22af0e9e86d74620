import { DatabaseSync } from 'node:sqlite';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ConcurrencyConflict } from '../../../application/concurrency-conflict.ts';
import { NodeSqliteConnection } from './connection.ts';
import { type ScratchDatabase, scratchDatabase } from './testing/scratch-database.ts';

let scratch: ScratchDatabase;
beforeEach(async () => {
  scratch = await scratchDatabase({ groupCommit: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  return scratch.remove();
});

describe('group commit: the units of work of one turn of the event loop', () => {
  test('share one COMMIT: no unit is committed or answered before the last has run', async () => {
    const { database, insert, committed } = scratch;
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

  test('a Kysely transaction commits the open group before it begins', async () => {
    const unit = scratch.database.transaction((tx) => scratch.insert(tx, 1));
    const kyselyTransaction = scratch.db
      .transaction()
      .execute((trx) => trx.insertInto('demo.items').values({ id: 2, label: 'kysely' }).execute());

    await Promise.all([unit, kyselyTransaction]);
    expect(scratch.committed()).toEqual([1, 2]);
  });

  test('closing the database commits the open group first', async () => {
    const unit = scratch.database.transaction((tx) => scratch.insert(tx, 1));
    await scratch.database.close();

    await unit;
    expect(scratch.committed()).toEqual([1]);
  });

  test('when another process overtakes a group, every unit in it fails with ConcurrencyConflict', async () => {
    const other = new DatabaseSync(scratch.file);
    try {
      const reader = scratch.database.transaction((tx) => scratch.select(tx));
      const writer = scratch.database.transaction(async (tx) => {
        await scratch.select(tx);
        other.exec("insert into demo_items values (5, 'from the other process')");
        await scratch.insert(tx, 1);
      });

      await expect(reader).rejects.toBeInstanceOf(ConcurrencyConflict);
      await expect(writer).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(await scratch.ids()).toEqual([5]);
    } finally {
      other.close();
    }
  });

  test('a unit that fails after its writes is undone alone; one that only read takes no savepoint', async () => {
    const statements = vi.spyOn(NodeSqliteConnection.prototype, 'executeSync');
    const ran = () => statements.mock.calls.map(([query]) => query.sql.split(' ')[0]);
    const first = scratch.database.transaction((tx) => scratch.insert(tx, 1));
    const failing = scratch.database.transaction(async (tx) => {
      await scratch.insert(tx, 2);
      throw new Error('a rule refused it');
    });
    const reading = scratch.database.transaction((tx) => scratch.select(tx));

    const [, failed] = await Promise.allSettled([first, failing, reading]);

    expect(failed).toMatchObject({ status: 'rejected', reason: { message: 'a rule refused it' } });

    expect(scratch.committed()).toEqual([1]);
    expect(ran()).toEqual([
      'begin',
      ...['savepoint', 'insert', 'release'],
      ...['savepoint', 'insert', 'rollback', 'release'],
      'select',
      'commit',
    ]);
  });

  test('a unit that only read and then failed leaves the group to commit the others', async () => {
    const first = scratch.database.transaction((tx) => scratch.insert(tx, 1));
    const failing = scratch.database.transaction(async (tx) => {
      await scratch.select(tx);
      throw new Error('not found');
    });
    const last = scratch.database.transaction((tx) => scratch.insert(tx, 2));

    const outcomes = await Promise.allSettled([first, failing, last]);

    expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(scratch.committed()).toEqual([1, 2]);
  });

  test('when SQLite ended the transaction under a unit that only read, the group is abandoned and retried', async () => {
    const first = scratch.database.transaction((tx) => scratch.insert(tx, 1));
    const failing = scratch.database.transaction(async (tx) => {
      // What SQLite does on a full disk or an I/O error, even during a read: the statement
      // fails and the whole transaction is rolled back (here for real, then the error).
      const execute = NodeSqliteConnection.prototype.executeSync;
      vi.spyOn(NodeSqliteConnection.prototype, 'executeSync').mockImplementationOnce(function (
        this: NodeSqliteConnection,
      ) {
        execute.call(this, CompiledQuery.raw('rollback'));
        throw new Error('database or disk is full');
      });
      await scratch.select(tx);
    });

    const outcomes = await Promise.allSettled([first, failing]);

    expect(outcomes).toMatchObject([
      { status: 'rejected', reason: expect.any(ConcurrencyConflict) },
      { status: 'rejected', reason: { message: 'database or disk is full' } },
    ]);
    expect(scratch.committed()).toEqual([]);
  });
});
