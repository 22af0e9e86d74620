import { setImmediate } from 'node:timers';
import { CompiledQuery, type Kysely } from 'kysely';
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

/** What the read connection needs to know of the write connection's state. */
export interface SqliteWriter {
  /** False while a group of units of work or one of Kysely's users holds the write connection. */
  idle(): boolean;
}

const BEGIN_SNAPSHOT = CompiledQuery.raw('begin');
const END_SNAPSHOT = CompiledQuery.raw('commit');

/**
 * SQLite: a second, read-only connection to the same file. In WAL mode it reads the last
 * committed state while the write connection holds a transaction open, so a read neither
 * waits for a command nor sees its uncommitted rows. It runs prepared statements directly:
 * Kysely's executor (connection queue, plugins, promises) costs more than a primary-key
 * lookup.
 *
 * The reads of one turn of the event loop share one read transaction (one snapshot): a
 * statement alone begins and ends its own, which locks and unlocks a slot of the WAL index
 * (two system calls) and costs about as much as the task list's query itself. The shared
 * snapshot is taken only while the write connection is idle, and ends at the end of the turn
 * or when the writer becomes active (`endSnapshot`), whichever comes first: so a read never
 * misses a write this process committed before it, and this process never holds a snapshot
 * while it commits (the WAL can be checkpointed and restarted as before). While the writer
 * is active, each read takes its own snapshot, as SQLite does by default.
 */
export function sqliteReadConnection(
  path: string,
  kysely: Kysely<object>,
  writer: SqliteWriter,
): ReadConnection & { endSnapshot(): void } {
  // Opened on first use: the file and its tables exist once migrations have run.
  let opened: ReturnType<typeof openReadOnlyConnection> | undefined;
  let inSnapshot = false;
  // Never throws: it runs from setImmediate too.
  const endSnapshot = () => {
    if (!inSnapshot) return;
    inSnapshot = false;
    try {
      opened?.connection.executeSync(END_SNAPSHOT);
    } catch {
      // No transaction left to end (SQLite ended it after an error): nothing to do.
    }
  };
  return {
    dialect: 'sqlite',
    kysely,
    all<Row>(query: CompiledQuery) {
      return promiseOf(() => {
        opened ??= openReadOnlyConnection(path);
        if (!inSnapshot && writer.idle()) {
          opened.connection.executeSync(BEGIN_SNAPSHOT);
          inSnapshot = true;
          setImmediate(endSnapshot);
        }
        return opened.connection.executeSync<Row>(query).rows;
      });
    },
    endSnapshot,
    close() {
      endSnapshot();
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
