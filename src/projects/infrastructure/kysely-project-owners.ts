import type { Kysely } from 'kysely';
import type { SqlTransaction } from '../../building-blocks/infrastructure/database/database.ts';
import {
  lockablePreparedQuery,
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { ProjectOwners } from '../application/ports.ts';
import type { ProjectsTables } from './tables.ts';

type Db = Kysely<ProjectsTables>;

const recordOwner = preparedQuery((db: Db, param: Param<{ ownerId: string }>) =>
  db
    .insertInto('projects.owners')
    .values({ id: param('ownerId'), retired_at: null, welcomed_at: null })
    .onConflict((conflict) => conflict.column('id').doNothing()),
);

const owner = lockablePreparedQuery((db: Db, param: Param<{ ownerId: string }>, lock) =>
  db
    .selectFrom('projects.owners')
    .select('retired_at')
    .where('id', '=', param('ownerId'))
    .$if(lock, (query) => query.forShare()),
);

// Only an owner not welcomed yet: the row is held (admit), so two welcomes take turns.
const welcomeOwner = preparedQuery((db: Db, param: Param<{ ownerId: string; at: string }>) =>
  db
    .updateTable('projects.owners')
    .set({ welcomed_at: param('at') })
    .where('id', '=', param('ownerId'))
    .where('welcomed_at', 'is', null),
);

const retireOwner = preparedQuery((db: Db, param: Param<{ ownerId: string; at: string }>) =>
  db
    .insertInto('projects.owners')
    .values({ id: param('ownerId'), retired_at: param('at'), welcomed_at: null })
    // An update even when already retired (the first date kept): it takes the row's lock, which
    // waits for every unit that holds the owner.
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        retired_at: eb.fn.coalesce(
          eb.ref('projects.owners.retired_at'),
          eb.ref('excluded.retired_at'),
        ),
      })),
    ),
);

/**
 * `projects.owners`: one row per owner, written the first time a project is made for them,
 * with `retired_at` set when their account is deleted. On PostgreSQL, `admit` holds the row
 * with a share lock and `retire` writes it, so the two wait for each other: a project is
 * either committed before the retirement (and removed with the others) or refused after it.
 * On SQLite one write transaction runs at a time, which orders them already.
 */
export class KyselyProjectOwners implements ProjectOwners {
  readonly #tx: SqlTransaction<ProjectsTables>;
  readonly #lockRows: boolean;

  constructor(tx: SqlTransaction<ProjectsTables>, options: { lockRows: boolean }) {
    this.#tx = tx;
    this.#lockRows = options.lockRows;
  }

  async admit(ownerId: UserId): Promise<boolean> {
    // The row must exist to be locked: a retirement racing this insert waits on its key.
    // Sent together (one round trip on PostgreSQL), run in order.
    const [, row] = await Promise.all([
      recordOwner.execute(this.#tx, { ownerId }),
      owner(this.#lockRows).executeTakeFirst(this.#tx, { ownerId }),
    ]);
    return row?.retired_at === null;
  }

  async retire(ownerId: UserId, at: Date): Promise<void> {
    await retireOwner.execute(this.#tx, { ownerId, at: at.toISOString() });
  }

  async welcome(ownerId: UserId, at: Date): Promise<boolean> {
    return (await welcomeOwner.affectedRows(this.#tx, { ownerId, at: at.toISOString() })) === 1n;
  }
}
