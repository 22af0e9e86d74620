import type { CompiledQuery, Kysely } from 'kysely';
import { openReadOnlyConnection, promiseOf } from './node-sqlite-dialect.ts';
import type { SqlDialect } from './sql-dialect.ts';

/**
 * Where read models run their queries: outside any unit of work, never behind a command's
 * transaction (CQRS). Queries are built and compiled by Kysely (`kysely`, with the dialect's
 * table naming); `all` runs a compiled one.
 */
export interface ReadConnection {
  readonly dialect: SqlDialect;
  readonly kysely: Kysely<object>;
  all<Row>(query: CompiledQuery): Promise<Row[]>;
  close(): void;
}

/**
 * SQLite: a second, read-only connection to the same file. In WAL mode it reads the last
 * committed state while the write connection holds a transaction open, so a read neither
 * waits for a command nor sees its uncommitted rows. It runs prepared statements directly:
 * Kysely's executor (connection queue, plugins, promises) costs more than a primary-key
 * lookup.
 */
export function sqliteReadConnection(path: string, kysely: Kysely<object>): ReadConnection {
  // Opened on first use: the file and its tables exist once migrations have run.
  let opened: ReturnType<typeof openReadOnlyConnection> | undefined;
  return {
    dialect: 'sqlite',
    kysely,
    all<Row>(query: CompiledQuery) {
      return promiseOf(() => {
        opened ??= openReadOnlyConnection(path);
        return opened.connection.executeSync<Row>(query).rows;
      });
    },
    close() {
      opened?.close();
      opened = undefined;
    },
  };
}

/**
 * Through Kysely's own executor: PostgreSQL (the pool gives reads their own connections) and
 * an in-memory SQLite database, which has only the one connection.
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
