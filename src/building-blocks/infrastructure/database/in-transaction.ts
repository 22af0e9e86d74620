import { CompiledQuery } from 'kysely';

export const COMMIT = CompiledQuery.raw('commit');
export const ROLLBACK = CompiledQuery.raw('rollback');

/**
 * Whether a statement of a unit of work may write: anything but a `select` (Kysely writes every
 * query's first word in lower case; a `with`, which may hold a write, counts as one). A
 * `select ... for update` takes a lock and writes nothing.
 */
export function mayWrite(query: CompiledQuery): boolean {
  return !query.sql.startsWith('select ');
}

/**
 * `begin`, the work, then COMMIT; ROLLBACK when the work or the COMMIT fails. `run` executes
 * one statement on the connection the transaction holds: PostgreSQL's `Database.transaction`
 * frames each unit of work with this, and so does SQLite's `TransactionPerUnit` (by default
 * SQLite's units of work share group transactions instead: sqlite/group-commit.ts).
 */
export async function inTransaction<T>(
  run: (statement: CompiledQuery) => unknown,
  begin: CompiledQuery,
  work: () => Promise<T>,
): Promise<T> {
  await run(begin);
  try {
    const result = await work();
    await run(COMMIT);
    return result;
  } catch (error) {
    // After a failed statement or COMMIT; a rollback that fails too must not hide why.
    try {
      await run(ROLLBACK);
    } catch {}
    throw error;
  }
}
