import type { Insertable, Kysely } from 'kysely';
import { ConcurrencyConflict } from '../../building-blocks/application/concurrency-conflict.ts';
import type { AggregateTracker } from '../../building-blocks/application/unit-of-work.ts';
import type { SqlTransaction } from '../../building-blocks/infrastructure/database/database.ts';
import { isUniqueViolation } from '../../building-blocks/infrastructure/database/errors.ts';
import {
  lockablePreparedQuery,
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { UserRepository } from '../application/ports.ts';
import { EmailAddressAlreadyTaken } from '../domain/errors.ts';
import type { PasswordHash } from '../domain/password.ts';
import type { User } from '../domain/user.ts';
import type { AccountsTables, UsersTable } from './tables.ts';
import { fromRow, toRow } from './user-mapper.ts';

type Db = Kysely<AccountsTables>;
type UserRow = Insertable<UsersTable>;

const userById = preparedQuery((db: Db, param: Param<{ id: string }>) =>
  db.selectFrom('accounts.users').selectAll().where('id', '=', param('id')),
);

const heldUser = lockablePreparedQuery((db: Db, param: Param<{ id: string }>, lock) =>
  db
    .selectFrom('accounts.users')
    .select('password_hash')
    .where('id', '=', param('id'))
    .$if(lock, (query) => query.forShare()),
);

const userByEmail = preparedQuery((db: Db, param: Param<{ email: string }>) =>
  db.selectFrom('accounts.users').selectAll().where('email', '=', param('email')),
);

const insertUser = preparedQuery((db: Db, param: Param<UserRow>) =>
  db.insertInto('accounts.users').values({
    id: param('id'),
    email: param('email'),
    password_hash: param('password_hash'),
    created_at: param('created_at'),
    version: param('version'),
  }),
);

// The version in the WHERE clause is the optimistic-concurrency check.
const updateUser = preparedQuery((db: Db, param: Param<UserRow & { next_version: number }>) =>
  db
    .updateTable('accounts.users')
    .set({
      email: param('email'),
      password_hash: param('password_hash'),
      version: param('next_version'),
    })
    .where('id', '=', param('id'))
    .where('version', '=', param('version')),
);

const deleteUser = preparedQuery((db: Db, param: Param<{ id: string; version: number }>) =>
  db
    .deleteFrom('accounts.users')
    .where('id', '=', param('id'))
    .where('version', '=', param('version')),
);

/** Users in the `accounts.users` table; the database's unique index keeps emails unique. */
export class KyselyUserRepository implements UserRepository {
  readonly #tx: SqlTransaction<AccountsTables>;
  readonly #tracker: AggregateTracker;
  readonly #lockRows: boolean;

  constructor(
    tx: SqlTransaction<AccountsTables>,
    tracker: AggregateTracker,
    options: { lockRows: boolean },
  ) {
    this.#tx = tx;
    this.#tracker = tracker;
    this.#lockRows = options.lockRows;
  }

  async findById(id: UserId): Promise<User | undefined> {
    return this.#load(await userById.executeTakeFirst(this.#tx, { id }));
  }

  async hold(id: UserId): Promise<PasswordHash | undefined> {
    const row = await heldUser(this.#lockRows).executeTakeFirst(this.#tx, { id });
    return row?.password_hash as PasswordHash | undefined;
  }

  async findByEmail(email: EmailAddress): Promise<User | undefined> {
    return this.#load(await userByEmail.executeTakeFirst(this.#tx, { email }));
  }

  async add(user: User): Promise<void> {
    await this.#refusingTakenEmail(() =>
      insertUser.execute(this.#tx, { ...toRow(user), version: 1 }),
    );
    user.markStored(1);
    this.#tracker.track(user);
  }

  async save(user: User): Promise<void> {
    const row = toRow(user);
    const updated = await this.#refusingTakenEmail(() =>
      updateUser.affectedRows(this.#tx, { ...row, next_version: row.version + 1 }),
    );
    if (updated === 0n) throw new ConcurrencyConflict('The user');
    user.markStored(row.version + 1);
    this.#tracker.track(user);
  }

  async remove(user: User): Promise<void> {
    const deleted = await deleteUser.affectedRows(this.#tx, { id: user.id, version: user.version });
    if (deleted === 0n) throw new ConcurrencyConflict('The user');
    this.#tracker.track(user);
  }

  /** Runs a write, turning the unique index's refusal of an email into the domain's error. */
  async #refusingTakenEmail<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, 'email')) throw new EmailAddressAlreadyTaken();
      throw error;
    }
  }

  #load(row: Parameters<typeof fromRow>[0] | undefined): User | undefined {
    if (!row) return undefined;
    const user = fromRow(row);
    this.#tracker.track(user);
    return user;
  }
}
