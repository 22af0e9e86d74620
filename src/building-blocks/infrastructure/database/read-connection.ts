import type { CompiledQuery, Kysely } from 'kysely';
import type { SqlDialect } from './sql-dialect.ts';

/**
 * Where read models run their queries: outside any unit of work, never behind a command's
 * transaction (CQRS). Queries are built and compiled by Kysely (`kysely`, with the dialect's
 * table naming); `all` runs a compiled one. On a SQLite file it is a connection of its own
 * (sqlite/read-connection.ts); on PostgreSQL, pipelined connections of their own
 * (postgres-reads.ts); on an in-memory SQLite database, Kysely's executor
 * (`kyselyReadConnection`).
 */
export interface ReadConnection {
  readonly dialect: SqlDialect;
  readonly kysely: Kysely<object>;
  all<Row>(query: CompiledQuery): Promise<Row[]>;
  /** PostgreSQL's resolves once its connections are ended. */
  close(): void | Promise<void>;
}

/**
 * Through Kysely's own executor: an in-memory SQLite database, which has only the one
 * connection.
 */
export function kyselyReadConnection(dialect: SqlDialect, kysely: Kysely<object>): ReadConnection {
  return {
    dialect,
    kysely,
    async all<Row>(query: CompiledQuery) {
      return (await kysely.executeQuery<Row>(query)).rows;
    },
    close() {},
  };
}
