import type { DrainOuterGeneric, Kysely } from 'kysely';
import {
  type AggregateTracker,
  type EventPublisher,
  TrackedAggregates,
  type UnitOfWork,
} from '../application/unit-of-work.ts';
import type { Database, SqlTransaction } from './database/database.ts';

/**
 * A context's tables added to the database's builder, which knows none: the type Kysely's
 * `withTables<Tables>()` gives (the same tables, to any caller that names them).
 */
type WithTables<Tables> = DrainOuterGeneric<object & Tables>;

/** Builds a context's repositories on one transaction. */
type RepositoriesOn<Tables, Repositories> = (
  tx: SqlTransaction<WithTables<Tables>>,
  tracker: AggregateTracker,
) => Repositories;

/**
 * The unit of work over a real database: one `Database.transaction` per `run`.
 * Repositories are built inside it, bound to the transaction, and report every aggregate
 * they load or store; after the commit their events go to `publish`. A rejected `run` rolls
 * back and publishes nothing.
 *
 * Phase 2 (the transactional outbox) replaces `publish` with a write of the events into
 * the outbox table inside the transaction; handlers and repositories do not change.
 */
export class KyselyUnitOfWork<Tables extends Record<string, object>, Repositories>
  implements UnitOfWork<Repositories>
{
  readonly #database: Database;
  /** The transactions' builder, `database.kysely`, with this context's tables: made once
   * (`withTables` makes a new Kysely instance each time). */
  readonly #builder: Kysely<WithTables<Tables>>;
  readonly #repositories: RepositoriesOn<Tables, Repositories>;
  readonly #publish: EventPublisher;

  constructor(
    database: Database,
    repositories: RepositoriesOn<Tables, Repositories>,
    publish: EventPublisher,
  ) {
    this.#database = database;
    this.#builder = database.kysely.withTables<Tables>();
    this.#repositories = repositories;
    this.#publish = publish;
  }

  async run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const tracker = new TrackedAggregates();
    const result = await this.#database.transaction((tx) => {
      const transaction = { builder: this.#builder, execute: tx.execute.bind(tx) };
      return work(this.#repositories(transaction, tracker));
    });
    const events = tracker.pullEvents();
    if (events.length > 0) await this.#publish(events);
    return result;
  }
}
