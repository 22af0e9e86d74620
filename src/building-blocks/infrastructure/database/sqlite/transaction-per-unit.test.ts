import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConcurrencyConflict } from '../../../application/concurrency-conflict.ts';
import { type ScratchDatabase, scratchDatabase } from './testing/scratch-database.ts';

let scratch: ScratchDatabase;
beforeEach(async () => {
  scratch = await scratchDatabase({ groupCommit: false });
});
afterEach(() => scratch.remove());

describe('a transaction per unit of work (groupCommit: false)', () => {
  test('commits each unit before it answers, before the next unit runs', async () => {
    const { database, insert, committed } = scratch;
    let duringSecond: unknown[] | undefined;
    const first = database.transaction((tx) => insert(tx, 1));
    const second = database.transaction(async (tx) => {
      await insert(tx, 2);
      duringSecond = committed();
    });

    await first;
    expect(committed()).toEqual([1]);
    await second;
    expect(duringSecond).toEqual([1]);
    expect(committed()).toEqual([1, 2]);
  });

  test('when another process overtakes a unit, only that unit fails', async () => {
    const other = new DatabaseSync(scratch.file);
    try {
      const reader = scratch.database.transaction((tx) => scratch.select(tx));
      const writer = scratch.database.transaction(async (tx) => {
        await scratch.select(tx);
        other.exec("insert into demo_items values (5, 'from the other process')");
        await scratch.insert(tx, 1);
      });

      await expect(reader).resolves.toEqual([]);
      await expect(writer).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(await scratch.ids()).toEqual([5]);
    } finally {
      other.close();
    }
  });
});
