import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  COMMIT_MODES,
  type ScratchDatabase,
  scratchDatabase,
  tick,
} from './testing/scratch-database.ts';

// Kysely's own users (migrations, the health check, scripts) on the dialect's one connection.
describe.each(COMMIT_MODES)('Kysely on the node:sqlite dialect, $mode', ({ groupCommit }) => {
  let scratch: ScratchDatabase;
  beforeEach(async () => {
    scratch = await scratchDatabase({ groupCommit });
  });
  afterEach(() => scratch.remove());

  test('a Kysely transaction that throws leaves nothing behind', async () => {
    await expect(
      scratch.db.transaction().execute(async (trx) => {
        await trx.insertInto('demo.items').values({ id: 1, label: 'one' }).execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');

    expect(await scratch.ids()).toEqual([]);
  });

  test('concurrent Kysely transactions never see or mix each other’s writes', async () => {
    const { db } = scratch;
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
    expect(await scratch.ids()).toEqual([2]);
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
    const kyselyTransaction = scratch.db.transaction().execute(async (trx) => {
      await trx.insertInto('demo.items').values({ id: 1, label: 'kysely' }).execute();
      entered();
      await left;
    });
    await inKysely;

    let started = false;
    const ours = scratch.database.transaction(async (tx) => {
      started = true;
      await scratch.insert(tx, 2);
    });
    await tick();
    expect(started).toBe(false);

    leave();
    await Promise.all([kyselyTransaction, ours]);
    expect(started).toBe(true);
    expect(scratch.committed()).toEqual([1, 2]);
  });
});
