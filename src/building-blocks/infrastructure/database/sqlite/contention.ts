import { CompiledQuery } from 'kysely';
import { ConcurrencyConflict } from '../../../application/concurrency-conflict.ts';
import { isBusy } from '../errors.ts';

/** The write lock at the first write: none for a command that changes nothing. */
const BEGIN_DEFERRED = CompiledQuery.raw('begin');
/** The write lock up front, waiting for it up to the busy timeout. */
export const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
/** How long units of work take the write lock up front after another process got in their way. */
const CONTENTION_MS = 2_000;

/**
 * How a unit of work's transaction begins, and what a busy error in it means (ADR 4).
 *
 * A transaction is deferred: it takes SQLite's write lock at its first write, so a command
 * that changes nothing never takes it. When another process on the same file is writing,
 * SQLite refuses that first write (the other holds the lock, or committed after this
 * transaction's first read): that is a `ConcurrencyConflict`, and the bus runs the command
 * again, as it does when a version check fails. For a while after such a conflict,
 * transactions begin `IMMEDIATE` instead, taking the write lock up front and waiting for it:
 * under contention, writers queue instead of failing again.
 */
export class ContentionWindow {
  /** Until when transactions begin `IMMEDIATE`. */
  #lockUpFrontUntil = 0;

  /** The BEGIN for a new transaction, and whether it is deferred. */
  begin(): { statement: CompiledQuery; deferred: boolean } {
    const deferred = Date.now() >= this.#lockUpFrontUntil;
    return { statement: deferred ? BEGIN_DEFERRED : BEGIN_IMMEDIATE, deferred };
  }

  /**
   * A busy error in a deferred transaction: another process got in its way. That is a
   * `ConcurrencyConflict` (and opens the window); any other error is not one.
   */
  asConflict(deferred: boolean, error: unknown): ConcurrencyConflict | undefined {
    if (!deferred || !isBusy(error)) return undefined;
    this.#lockUpFrontUntil = Date.now() + CONTENTION_MS;
    return new ConcurrencyConflict('The data');
  }
}
