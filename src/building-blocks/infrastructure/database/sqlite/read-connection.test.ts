import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  COMMIT_MODES,
  type ScratchDatabase,
  scratchDatabase,
  tick,
} from './testing/scratch-database.ts';

describe.each(COMMIT_MODES)('the SQLite read connection, $mode', ({ groupCommit }) => {
  let scratch: ScratchDatabase;
  beforeEach(async () => {
    scratch = await scratchDatabase({ groupCommit });
  });
  afterEach(() => scratch.remove());

  const readIds = async () =>
    (
      await scratch.database.reads.all<{ id: number }>(
        scratch.db.selectFrom('demo.items').select('id').orderBy('id').compile(),
      )
    ).map((row) => row.id);

  /** Another process's commit: item 5, through a connection of its own. */
  const commitFromAnotherProcess = () => {
    const other = new DatabaseSync(scratch.file);
    try {
      other.exec("insert into demo_items values (5, 'from another process')");
    } finally {
      other.close();
    }
  };

  test('the reads of one turn of the event loop share a snapshot; the next turn takes a new one', async () => {
    expect(await readIds()).toEqual([]);
    commitFromAnotherProcess();

    expect(await readIds()).toEqual([]);
    await tick();
    expect(await readIds()).toEqual([5]);
  });

  test('a read sees what this process wrote before it, in the same turn too', async () => {
    expect(await readIds()).toEqual([]);
    await scratch.db.insertInto('demo.items').values({ id: 1, label: 'kysely' }).execute();
    expect(await readIds()).toEqual([1]);

    await scratch.database.transaction((tx) => scratch.insert(tx, 2));
    expect(await readIds()).toEqual([1, 2]);
  });

  test('a read never sees what a unit of work has not committed yet', async () => {
    let seenDuringUnit: number[] | undefined;
    await scratch.database.transaction(async (tx) => {
      await scratch.insert(tx, 1);
      seenDuringUnit = await readIds();
    });

    expect(seenDuringUnit).toEqual([]);
    expect(await readIds()).toEqual([1]);
  });

  test("the data version moves with another connection's commit, once the turn's snapshot is over", async () => {
    const version = scratch.database.dataVersion as () => number;
    const before = version();
    commitFromAnotherProcess();

    expect(version()).toBe(before);
    await tick();
    expect(version()).not.toBe(before);
  });

  test("the data version moves with this process's own commit", async () => {
    const version = scratch.database.dataVersion as () => number;
    const before = version();

    await scratch.database.transaction((tx) => scratch.insert(tx, 1));

    expect(version()).not.toBe(before);
  });

  test("while a unit of work holds the writer, each look sees another connection's commit", async () => {
    const version = scratch.database.dataVersion as () => number;
    await scratch.database.transaction(async (tx) => {
      await scratch.select(tx);
      const before = version();
      commitFromAnotherProcess();

      expect(version()).not.toBe(before);
    });
  });

  test('the data version stays put while nothing is committed', async () => {
    const version = scratch.database.dataVersion as () => number;
    const before = version();
    await readIds();
    await tick();

    expect(version()).toBe(before);
  });
});
