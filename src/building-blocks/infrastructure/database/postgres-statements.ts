import type { CompiledQuery, QueryResult } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { statementNameOf } from './named-statement.ts';

/**
 * Runs a compiled query on a pooled client (or on any client of the pool), straight through
 * `pg`: by name when `preparedQuery` named it, so each connection parses and plans it once;
 * Kysely's executor would send the text every time (its own connection calls
 * `client.query(sql, parameters)`). The answer has the shape Kysely's would.
 */
export async function runStatement<Row>(
  on: Pool | PoolClient,
  query: CompiledQuery,
): Promise<QueryResult<Row>> {
  const name = statementNameOf(query);
  const values = query.parameters as unknown[];
  const { command, rowCount, rows } = await on.query(
    name === undefined ? { text: query.sql, values } : { name, text: query.sql, values },
  );
  return {
    rows: rows ?? [],
    ...(WRITES.has(command) && { numAffectedRows: BigInt(rowCount ?? 0) }),
  };
}

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);
