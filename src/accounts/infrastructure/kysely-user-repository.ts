import { ConcurrencyConflict } from '../../building-blocks/application/concurrency-conflict.ts';
import type { AggregateTracker } from '../../building-blocks/application/unit-of-work.ts';
import type { SqlTransaction } from '../../building-blocks/infrastructure/database/database.ts';
import { isUniqueViolation } from '../../building-blocks/infrastructure/database/errors.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { UserRepository } from '../application/ports.ts';
import { EmailAddressAlreadyTaken } from '../domain/errors.ts';
import type { User } from '../domain/user.ts';
import type { AccountsTables } from './tables.ts';
import { fromRow, toRow } from './user-mapper.ts';

export class KyselyUserRepository implements UserRepository {
  readonly #tx: SqlTransaction<AccountsTables>;
  readonly #tracker: AggregateTracker;

  constructor(tx: SqlTransaction<AccountsTables>, tracker: AggregateTracker) {
    this.#tx = tx;
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
      await this.#tx.execute(
        this.#tx.builder
          .insertInto('accounts.users')
          .values({ ...toRow(user), version: 1 })
          .compile(),
      );
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
      const result = await this.#tx.execute(
        this.#tx.builder
          .updateTable('accounts.users')
          .set({ ...changes, version: version + 1 })
          .where('id', '=', id)
          .where('version', '=', version)
          .compile(),
      );
      updated = result.numAffectedRows ?? 0n;
    } catch (error) {
      if (isUniqueViolation(error, 'email')) throw new EmailAddressAlreadyTaken();
      throw error;
    }
    if (updated === 0n) throw new ConcurrencyConflict('The user');
    this.#tracker.track(user);
  }

  async #findBy(column: 'id' | 'email', value: string): Promise<User | undefined> {
    const { rows } = await this.#tx.execute(
      this.#tx.builder.selectFrom('accounts.users').selectAll().where(column, '=', value).compile(),
    );
    const row = rows[0];
    if (!row) return undefined;
    const user = fromRow(row);
    this.#tracker.track(user);
    return user;
  }
}
