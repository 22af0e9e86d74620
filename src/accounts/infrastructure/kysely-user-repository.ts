import type { Kysely } from 'kysely';
import { ConcurrencyConflict } from '../../building-blocks/application/concurrency-conflict.ts';
import type { AggregateTracker } from '../../building-blocks/application/unit-of-work.ts';
import { isUniqueViolation } from '../../building-blocks/infrastructure/database/errors.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { UserRepository } from '../application/ports.ts';
import { EmailAddressAlreadyTaken } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import type { AccountsTables } from './tables.ts';
import { fromRow, toRow } from './user-mapper.ts';

export class KyselyUserRepository implements UserRepository {
  readonly #db: Kysely<AccountsTables>;
  readonly #tracker: AggregateTracker;

  constructor(db: Kysely<AccountsTables>, tracker: AggregateTracker) {
    this.#db = db;
    this.#tracker = tracker;
  }

  findById(id: UserId): Promise<User | undefined> {
    return this.#findBy('id', id);
  }

  findByEmail(email: EmailAddress): Promise<User | undefined> {
    return this.#findBy('email', email);
  }

  async add(user: User): Promise<void> {
    try {
      await this.#db
        .insertInto('accounts.users')
        .values({ ...toRow(user), version: 1 })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error, 'email')) throw new EmailAddressAlreadyTaken();
      throw error;
    }
    this.#tracker.track(user);
  }

  async save(user: User): Promise<void> {
    const { id, version, ...changes } = toRow(user);
    let updated: bigint;
    try {
      const result = await this.#db
        .updateTable('accounts.users')
        .set({ ...changes, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      updated = result.numUpdatedRows;
    } catch (error) {
      if (isUniqueViolation(error, 'email')) throw new EmailAddressAlreadyTaken();
      throw error;
    }
    if (updated === 0n) throw new ConcurrencyConflict('The user');
    this.#tracker.track(user);
  }

  async #findBy(column: 'id' | 'email', value: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('accounts.users')
      .selectAll()
      .where(column, '=', value)
      .executeTakeFirst();
    if (!row) return undefined;
    const user = fromRow(row);
    this.#tracker.track(user);
    return user;
  }
}
