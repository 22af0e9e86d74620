import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SqlTransaction } from './database.ts';
import { type Param, preparedQuery } from './prepared-query.ts';
import {
  type ScratchDatabase,
  scratchDatabase,
  type Tables,
} from './sqlite/testing/scratch-database.ts';

let scratch: ScratchDatabase;
beforeEach(async () => {
  scratch = await scratchDatabase();
  await scratch.db
    .insertInto('demo.items')
    .values([
      { id: 1, label: 'one' },
      { id: 2, label: 'two' },
    ])
    .execute();
});
afterEach(() => scratch.remove());

describe('preparedQuery', () => {
  const byId = preparedQuery((kysely: Kysely<Tables>, param: Param<{ id: number }>) =>
    kysely.selectFrom('demo.items').select('label').where('id', '=', param('id')),
  );

  test('runs one compiled query with new values each time, in a transaction or on the reads', async () => {
    const inTransaction = await scratch.database.transaction(async (tx) => {
      const transaction: SqlTransaction<Tables> = {
        builder: scratch.db,
        execute: tx.execute.bind(tx),
      };
      return [
        await byId.executeTakeFirst(transaction, { id: 1 }),
        await byId.execute(transaction, { id: 2 }),
        await byId.executeTakeFirst(transaction, { id: 3 }),
      ];
    });

    expect(inTransaction).toEqual([{ label: 'one' }, [{ label: 'two' }], undefined]);
    expect(await byId.read(scratch.database.reads, { id: 2 })).toEqual([{ label: 'two' }]);
  });
});
