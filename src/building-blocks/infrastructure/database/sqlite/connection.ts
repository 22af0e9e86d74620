import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';

/** How long a statement waits for a lock another process holds before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
const STATEMENT_CACHE_SIZE = 256;

/**
 * Opens a connection to the database file. The write connection turns on WAL (readers go on
 * while a transaction is open, and see only what is committed), WAL's usual `synchronous =
 * NORMAL` (a COMMIT survives the process crashing; a power cut may lose the last ones, never
 * the database's consistency) and foreign keys. The read connection is read-only.
 */
export function openConnection(path: string, { readOnly = false } = {}): NodeSqliteConnection {
  const database = new DatabaseSync(path, { readOnly, timeout: BUSY_TIMEOUT_MS });
  if (!readOnly) {
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = NORMAL');
    database.exec('PRAGMA foreign_keys = ON');
  }
  return new NodeSqliteConnection(database);
}

/**
 * A Kysely connection over one `node:sqlite` database handle: each SQL text is prepared
 * once (Kysely compiles the same text for the same query shape), and rows come back as
 * plain objects (see `toRows`). node:sqlite is synchronous, so `executeSync` is the real
 * work and `executeQuery` wraps it for Kysely.
 */
export class NodeSqliteConnection implements DatabaseConnection {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, PreparedStatement>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return promiseOf(() => this.executeSync<R>(compiledQuery));
  }

  executeSync<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const { statement, columns } = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters.map(toSqliteValue);
    if (columns.length > 0) {
      return { rows: toRows<R>(statement.all(...parameters) as unknown as unknown[][], columns) };
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return {
      rows: [],
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
    };
  }

  /** Whether a transaction is open (SQLite ends one by itself after some errors). */
  get inTransaction(): boolean {
    return this.#database.isTransaction;
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by this adapter.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported by the node:sqlite adapter.');
  }

  close(): void {
    this.#statements.clear();
    this.#database.close();
  }

  #prepare(sql: string): PreparedStatement {
    let cached = this.#statements.get(sql);
    if (!cached) {
      const statement = this.#database.prepare(sql);
      const columns = statement.columns().map((column) => column.name);
      if (columns.includes('__proto__')) {
        throw new Error("A result column named __proto__ would set the row's prototype.");
      }
      statement.setReturnArrays(true); // made into objects by `toRows`
      cached = { statement, columns };
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value as string;
        this.#statements.delete(oldest);
      }
      this.#statements.set(sql, cached);
    }
    return cached;
  }
}

interface PreparedStatement {
  statement: StatementSync;
  /** The names of the result columns; none for a statement that returns no rows. */
  columns: string[];
}

/**
 * node:sqlite's row objects have a null prototype and are built as dictionaries: slow to make
 * and slow to read (every property read is a hash lookup). Rows built here, by assigning
 * the columns in the same order, share one hidden class per statement, and reading them is
 * a plain field load: a repository's 14-column row costs half as much to fetch and map.
 */
function toRows<R>(arrays: unknown[][], columns: string[]): R[] {
  const rows: Record<string, unknown>[] = new Array(arrays.length);
  for (let i = 0; i < arrays.length; i++) {
    const values = arrays[i] as unknown[];
    const row: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c] as string] = values[c];
    rows[i] = row;
  }
  return rows as R[];
}

/** node:sqlite binds numbers, strings, bigints, buffers and null; map the rest onto those. */
export function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && !ArrayBuffer.isView(value)) return JSON.stringify(value);
  return value as SQLInputValue;
}

/**
 * A promise of what `run` returns, or of the error it throws: for the synchronous node:sqlite
 * calls behind asynchronous interfaces, without an async function's extra promises.
 */
export function promiseOf<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}
