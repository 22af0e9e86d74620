import { setImmediate } from 'node:timers';
import { CompiledQuery, type Kysely } from 'kysely';
import type { ReadConnection } from '../read-connection.ts';
import { type NodeSqliteConnection, openConnection, promiseOf } from './connection.ts';

/** What the read connection needs to know of the write connection's state. */
export interface SqliteWriter {
  /** False while a unit of work or one of Kysely's users holds the write connection, or a
   * transaction is left open on it. */
  idle(): boolean;
}

const BEGIN_SNAPSHOT = CompiledQuery.raw('begin');
const END_SNAPSHOT = CompiledQuery.raw('commit');
const DATA_VERSION = CompiledQuery.raw('pragma data_version');
type DataVersionRow = { data_version: number };

/** The read connection, and what it can tell of changes to the file. */
export interface SqliteReadConnection extends ReadConnection {
  /**
   * A number that moves whenever any other connection (this process's write connection, or
   * another process's) has committed to the file since it was last read (`PRAGMA
   * data_version`). In the turn's snapshot it is read once and holds for the turn, as the
   * snapshot's rows do; while the writer is busy (no shared snapshot), each call reads it.
   */
  dataVersion(): number;
  endSnapshot(): void;
}

/**
 * SQLite's read connection (ADR 6): a second, read-only connection to the same file. In WAL
 * mode it reads the last committed state while the write connection holds a transaction
 * open, so a read neither waits for a command nor sees its uncommitted rows. It runs
 * prepared statements directly: Kysely's executor (connection queue, plugins, promises)
 * costs more than a primary-key lookup.
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
): SqliteReadConnection {
  // Opened on first use: the file and its tables exist once migrations have run.
  let connection: NodeSqliteConnection | undefined;
  let inSnapshot = false;
  let snapshotVersion: number | undefined;
  const open = (): NodeSqliteConnection => {
    connection ??= openConnection(path, { readOnly: true });
    if (!inSnapshot && writer.idle()) {
      connection.executeSync(BEGIN_SNAPSHOT);
      inSnapshot = true;
      setImmediate(endSnapshot);
    }
    return connection;
  };
  const readVersion = (from: NodeSqliteConnection) =>
    (from.executeSync<DataVersionRow>(DATA_VERSION).rows[0] as DataVersionRow).data_version;
  // Never throws: it runs from setImmediate too.
  const endSnapshot = () => {
    if (!inSnapshot) return;
    inSnapshot = false;
    snapshotVersion = undefined;
    try {
      connection?.executeSync(END_SNAPSHOT);
    } catch {
      // No transaction left to end (SQLite ended it after an error): nothing to do.
    }
  };
  return {
    dialect: 'sqlite',
    kysely,
    all<Row>(query: CompiledQuery) {
      return promiseOf(() => open().executeSync<Row>(query).rows);
    },
    dataVersion() {
      const reading = open();
      if (!inSnapshot) return readVersion(reading);
      snapshotVersion ??= readVersion(reading);
      return snapshotVersion;
    },
    endSnapshot,
    close() {
      endSnapshot();
      connection?.close();
      connection = undefined;
    },
  };
}
