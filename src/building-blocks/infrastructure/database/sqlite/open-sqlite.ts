import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import { DatabaseUnavailable } from '../../../application/database-unavailable.ts';
import { isBusy } from '../errors.ts';
import { kyselyReadConnection, type ReadConnection } from '../read-connection.ts';
import { SchemaPrefixPlugin } from '../schema-prefix-plugin.ts';
import { NodeSqliteDialect } from './dialect.ts';
import { sqliteReadConnection } from './read-connection.ts';
import type { UnitConnection } from './unit-transactions.ts';

export interface SqliteOptions {
  /**
   * Share one transaction and its COMMIT among the units of work of one event-loop turn
   * (`GroupCommit`, the default); false: one transaction per unit (`TransactionPerUnit`).
   */
  groupCommit?: boolean;
}

/** An open SQLite database, as `openDatabase` needs it to make a `Database`. */
export interface Sqlite {
  /** Builds and compiles queries (`schema.table` named `schema_table`); runs Kysely's own. */
  readonly kysely: Kysely<object>;
  readonly reads: ReadConnection;
  /** A file's: moves whenever a commit to it may have changed what `reads` sees (see
   * `SqliteReadConnection.dataVersion`). An in-memory database has no other connection. */
  readonly dataVersion?: () => number;
  /** Runs `work` as a unit of work on the write connection; settles after its COMMIT. */
  transaction<T>(work: (connection: UnitConnection) => Promise<T>): Promise<T>;
}

/** `path` is a file (its folder is made if missing) or `:memory:`. */
export function openSqlite(path: string, { groupCommit = true }: SqliteOptions = {}): Sqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // The dialect and the read connection each need the other: the read connection shares a
  // snapshot among a turn's reads only while the dialect's writer is idle, and the dialect
  // must end that snapshot before the writer begins a transaction (or a read after this
  // process's COMMIT would miss it, and the WAL could not be checkpointed past it). So the
  // dialect is built first, with a callback that reaches the read connection once it exists.
  let endReadSnapshot = () => {};
  const dialect = new NodeSqliteDialect(path, {
    groupCommit,
    onWriterActive: () => endReadSnapshot(),
  });
  const kysely = new Kysely<object>({ dialect, plugins: [new SchemaPrefixPlugin()] });
  const transaction: Sqlite['transaction'] = (work) =>
    dialect.transaction(work).catch((error: unknown) => {
      // Still busy once a conflict would have been told (ContentionWindow): another process
      // held the write lock for the whole busy timeout (a long migration, an operator's open
      // transaction, a process paused with the lock). Nothing of this unit was committed.
      if (!isBusy(error)) throw error;
      throw new DatabaseUnavailable(error, { nothingWritten: true, retryAtOnce: false });
    });
  if (path === ':memory:') {
    // One connection only: reads go through Kysely, behind the units of work.
    return { kysely, reads: kyselyReadConnection('sqlite', kysely), transaction };
  }
  const reads = sqliteReadConnection(path, kysely, { idle: () => dialect.writerIdle });
  endReadSnapshot = reads.endSnapshot;
  return { kysely, reads, dataVersion: reads.dataVersion, transaction };
}
