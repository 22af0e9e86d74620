import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConcurrencyConflict } from '../../building-blocks/application/concurrency-conflict.ts';
import type {
  Database,
  SqlTransaction,
} from '../../building-blocks/infrastructure/database/database.ts';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { LoginAttemptStore } from '../application/login-throttle.ts';
import type { LoginAttempts } from '../domain/login-throttling.ts';
import type { AccountsTables } from './tables.ts';

type Db = Kysely<AccountsTables>;
type Row = { key: string; attempts: number; last_attempt_at: number; locked_until: number };

const byKey = preparedQuery((db: Db, param: Param<{ key: string }>) =>
  db
    .selectFrom('accounts.login_attempts')
    .select(['attempts', 'last_attempt_at', 'locked_until'])
    .where('key', '=', param('key')),
);

const insertIfAbsent = preparedQuery((db: Db, param: Param<Row>) =>
  db
    .insertInto('accounts.login_attempts')
    .values({
      key: param('key'),
      attempts: param('attempts'),
      last_attempt_at: param('last_attempt_at'),
      locked_until: param('locked_until'),
    })
    .onConflict((conflict) => conflict.column('key').doNothing()),
);

const replaceIfUnchanged = preparedQuery(
  (db: Db, param: Param<Row & { expected_attempts: number; expected_last_attempt_at: number }>) =>
    db
      .updateTable('accounts.login_attempts')
      .set({
        attempts: param('attempts'),
        last_attempt_at: param('last_attempt_at'),
        locked_until: param('locked_until'),
      })
      .where('key', '=', param('key'))
      .where('attempts', '=', param('expected_attempts'))
      .where('last_attempt_at', '=', param('expected_last_attempt_at')),
);

const deleteKey = preparedQuery((db: Db, param: Param<{ key: string }>) =>
  db.deleteFrom('accounts.login_attempts').where('key', '=', param('key')),
);

const deleteOlderThan = preparedQuery((db: Db, param: Param<{ before: number }>) =>
  db.deleteFrom('accounts.login_attempts').where('last_attempt_at', '<', param('before')),
);

/** Counts left behind by accounts nobody tries any more are swept this often, at most. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The login counters in the database every process shares. The key is a SHA-256 of the
 * normalised email, so the table holds no address (guesses at unknown accounts included).
 * Each change is a compare-and-set on the row: of two attempts that read the same count,
 * one writes and the other reads again.
 */
export class SqlLoginAttempts implements LoginAttemptStore {
  readonly #database: Database;
  #lastSweep = 0;

  constructor(database: Database) {
    this.#database = database;
  }

  async read(key: string): Promise<LoginAttempts | undefined> {
    const [row] = await byKey.read(this.#database.reads, { key: hashed(key) });
    return (
      row && {
        // PostgreSQL returns bigint columns as strings.
        attempts: Number(row.attempts),
        lastAttemptAt: Number(row.last_attempt_at),
        lockedUntil: Number(row.locked_until),
      }
    );
  }

  async replace(
    key: string,
    expected: LoginAttempts | undefined,
    next: LoginAttempts,
    keepMs: number,
  ): Promise<boolean> {
    const row = {
      key: hashed(key),
      attempts: next.attempts,
      last_attempt_at: next.lastAttemptAt,
      locked_until: next.lockedUntil,
    };
    const changed = await this.#run(async (tx): Promise<bigint> => {
      if (expected === undefined) {
        await this.#sweep(tx, next.lastAttemptAt - keepMs, next.lastAttemptAt);
        return insertIfAbsent.affectedRows(tx, row);
      }
      return replaceIfUnchanged.affectedRows(tx, {
        ...row,
        expected_attempts: expected.attempts,
        expected_last_attempt_at: expected.lastAttemptAt,
      });
    });
    return changed === 1n;
  }

  async forget(key: string): Promise<void> {
    for (let race = 0; race < 10; race++) {
      if ((await this.#run((tx) => deleteKey.affectedRows(tx, { key: hashed(key) }))) !== undefined)
        return;
    }
  }

  async #sweep(tx: SqlTransaction<AccountsTables>, before: number, now: number) {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    await deleteOlderThan.affectedRows(tx, { before });
  }

  /**
   * One statement in its own transaction; undefined when another process held the database
   * (SQLite's writer lock): for a compare-and-set, that is a race lost like any other.
   */
  async #run<T>(work: (tx: SqlTransaction<AccountsTables>) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.#database.transaction((tx) => work(tx as SqlTransaction<AccountsTables>));
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return undefined;
      throw error;
    }
  }
}

function hashed(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
