import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kysely } from 'kysely';
import { DatabaseUnavailable } from '../../../application/database-unavailable.ts';
import { isBusy } from '../errors.ts';
import { kyselyReadConnection, type ReadConnection } from '../read-connection.ts';
import { SchemaPrefixPlugin } from '../schema-prefix-plugin.ts';
import { DatabaseStartupError } from '../wait-for-database.ts';
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

/**
 * `path` is a file (its folder is made if missing) or `:memory:`. A folder, a file this
 * process cannot write, or one whose folder it cannot make, is refused at once with a
 * `DatabaseStartupError`.
 */
export function openSqlite(path: string, { groupCommit = true }: SqliteOptions = {}): Sqlite {
  if (path !== ':memory:') prepareFile(path);
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

/**
 * Makes the folder of a database file if missing, and refuses, in one line, a path that names
 * a folder or a file this process could not write. SQLite opens an unwritable file read-only
 * without a word: a read-only file then fails every write, and in a read-only folder or mount
 * (or for a folder's path) every statement fails with "unable to open database file", which
 * start-up took for a database not up yet.
 */
function prepareFile(path: string): void {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new DatabaseStartupError(
      `DATABASE_URL names the folder ${path}, not a file: name a file in it (e.g. sqlite:${join(path, 'app.db')}).`,
      undefined,
    );
  }
  const folder = dirname(path);
  try {
    makeFolder(folder);
  } catch (error) {
    throw new DatabaseStartupError(
      `The folder of the SQLite database ${path} cannot be made (${(error as Error).message}): create it, or point DATABASE_URL at a file in a folder this user can write.`,
      error,
    );
  }
  try {
    // SQLite writes its journal (the -wal and -shm files) beside the database: the folder
    // must be writable as well as the file.
    accessSync(folder, constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
  } catch (error) {
    throw new DatabaseStartupError(
      `The SQLite database ${path} cannot be written (${(error as Error).message}): give this user write access to the file and its folder, or point DATABASE_URL at another file.`,
      error,
    );
  }
}

/**
 * `mkdir -p`. Node.js's own (`mkdirSync` with `recursive`) never returns, at 100% CPU, for a
 * folder whose parent exists but cannot hold it (a path under /proc): told the folder is
 * missing, it makes the parent, is told that exists, and tries again, forever.
 */
function makeFolder(folder: string): void {
  if (existsSync(folder)) return;
  makeFolder(dirname(folder));
  try {
    mkdirSync(folder);
  } catch (error) {
    // Another process starting on the same file may have made it meanwhile.
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw error;
  }
}
