import type { DrainOuterGeneric, Kysely } from 'kysely';
import { ConcurrencyConflict } from '../application/concurrency-conflict.ts';
import {
  type AggregateTracker,
  TrackedAggregates,
  type UnitOfWork,
} from '../application/unit-of-work.ts';
import type { OutboxMessage } from '../messaging/outbox-message.ts';
import type { TransactionalOutbox } from '../messaging/transactional-outbox.ts';
import type { Database, SqlTransaction } from './database/database.ts';
import { RecentRaces } from './recent-races.ts';

/**
 * A context's tables added to the database's builder, which knows none: the type Kysely's
 * `withTables<Tables>()` gives (the same tables, to any caller that names them).
 */
type WithTables<Tables> = DrainOuterGeneric<object & Tables>;

/**
 * How a unit of work reads its aggregates: without locks (the version check on save catches a
 * lost race), or, on a database that has them, taking an aggregate's row lock as it loads it:
 * every aggregate on the attempt after a lost race, and on a first attempt those that lost a
 * race a moment ago (ADR 20).
 */
export interface Reading {
  /** Whether loading `aggregate` (the key its repository names it by) takes its row lock. */
  locks(aggregate: string): boolean;
}

/** Reads without locks: the version check on save catches a lost race. */
export const WITHOUT_LOCKS: Reading = { locks: () => false };
/** Locks every aggregate it loads. */
export const WITH_LOCKS: Reading = { locks: () => true };

/** Builds a context's repositories on one transaction. */
type RepositoriesOn<Tables, Repositories> = (
  tx: SqlTransaction<WithTables<Tables>>,
  tracker: AggregateTracker,
  reading: Reading,
) => Repositories;

/**
 * The unit of work over a real database: one `Database.transaction` per `run`.
 * Repositories are built inside it, bound to the transaction, and report every aggregate
 * they load or store. Their events are written to the context's outbox in the same
 * transaction, and handed to the relay after the COMMIT (ADR 15); run by a message handler,
 * the transaction also records the delivery in the context's inbox. A rejected `run` rolls
 * back and leaves no message.
 *
 * The work first runs reading without locks (but for the aggregates that lost a race in the
 * last second, below): a command that decides to change nothing (an idempotent repeat) or
 * that meets no competitor takes no lock at all. With `lockAfterLostRace`, when it lost a
 * race (a `ConcurrencyConflict`: the version check of a save), on PostgreSQL it runs once
 * more at once, this time locking what it loads, so that commands contending for one
 * aggregate queue on its lock instead of failing again (ADR 20): `work` may run twice, so it
 * must build its aggregates inside, from what it loads. The aggregate that lost is remembered
 * for a moment (`RecentRaces`): the next commands on it lock it on their first attempt.
 */
export class KyselyUnitOfWork<Tables extends Record<string, object>, Repositories>
  implements UnitOfWork<Repositories>
{
  readonly #database: Database;
  /** The transactions' builder, `database.kysely`, with this context's tables: made once
   * (`withTables` makes a new Kysely instance each time). */
  readonly #builder: Kysely<WithTables<Tables>>;
  readonly #repositories: RepositoriesOn<Tables, Repositories>;
  readonly #outbox: TransactionalOutbox;
  readonly #lockAfterLostRace: boolean;
  readonly #recentRaces: RecentRaces;
  /** A first attempt's reading: without locks, but for the aggregates that lost a race lately. */
  readonly #firstAttempt: Reading = {
    locks: (aggregate) => this.#lockAfterLostRace && this.#recentRaces.lostLately(aggregate),
  };

  /**
   * `lockAfterLostRace`: the context's repositories take row locks when `reading.locks` says
   * so, and a lost race is worth running again at once with them (ADR 20). Without it every
   * attempt reads without locks and a lost race goes back to the bus. `recentRaces`: where
   * the aggregates that lost lately are remembered (tests give one with a longer window).
   */
  constructor(
    database: Database,
    repositories: RepositoriesOn<Tables, Repositories>,
    outbox: TransactionalOutbox,
    {
      lockAfterLostRace = false,
      recentRaces = new RecentRaces(),
    }: { lockAfterLostRace?: boolean; recentRaces?: RecentRaces } = {},
  ) {
    this.#database = database;
    this.#builder = database.kysely.withTables<Tables>();
    this.#repositories = repositories;
    this.#outbox = outbox;
    this.#lockAfterLostRace = lockAfterLostRace && database.supportsRowLocks;
    this.#recentRaces = recentRaces;
  }

  async run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    try {
      return await this.#attempt(work, this.#firstAttempt);
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict && this.#lockAfterLostRace)) throw error;
      if (error.aggregate !== undefined) this.#recentRaces.lost(error.aggregate);
      return this.#attempt(work, WITH_LOCKS);
    }
  }

  async #attempt<T>(
    work: (repositories: Repositories) => Promise<T>,
    reading: Reading,
  ): Promise<T> {
    let messages: OutboxMessage[] = [];
    let delivery: { recorded: boolean } | undefined;
    const result = await this.#database.transaction(async (tx) => {
      const tracker = new TrackedAggregates();
      const transaction = { builder: this.#builder, execute: tx.execute.bind(tx) };
      delivery = await this.#outbox.recordDelivery(tx);
      const value = await work(this.#repositories(transaction, tracker, reading));
      const events = tracker.pullEvents();
      // A command that recorded no event pays nothing for the outbox.
      messages = events.length > 0 ? await this.#outbox.store(tx, events) : [];
      return value;
    });
    if (delivery) delivery.recorded = true;
    // Waits for the handlers whose effects are in the database, so the caller sees them; one
    // whose effect leaves it (an email) finishes after, under the relay's watch (ADR 15).
    if (messages.length > 0) await this.#outbox.dispatch(messages);
    return result;
  }
}
