import type { CompiledQuery, QueryResult } from 'kysely';
import type { Client, Pool, PoolClient } from 'pg';
import { statementNameOf } from './named-statement.ts';

/**
 * Runs a compiled query on a pooled client (or on any client of the pool), straight through
 * `pg`: by name when `preparedQuery` named it, so each connection parses and plans it once;
 * Kysely's executor would send the text every time (its own connection calls
 * `client.query(sql, parameters)`). The answer has the shape Kysely's would.
 */
export async function runStatement<Row>(
  on: Pool | PoolClient | Client,
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

/**
 * Holds the connection's writes back until this turn of the event loop has issued every
 * statement it will, so that they leave in one packet: `begin` with the first statements, the
 * writes of a save together. `pg` writes each statement on its own, and on loopback each write
 * is a system call that also wakes the server: profiled, they cost more than all of the
 * service's own code for a command.
 */
export function batchWrites(client: Client | PoolClient): () => void {
  const socket = (client as Client).connection.stream;
  let held = false;
  return () => {
    if (held) return;
    held = true;
    socket.cork();
    setImmediate(() => {
      held = false;
      socket.uncork();
    });
  };
}
