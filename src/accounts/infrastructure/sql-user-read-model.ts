import type { Kysely } from 'kysely';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { UserReadModel } from '../application/queries/read-models.ts';
import type { PasswordHash } from '../domain/password.ts';
import type { AccountsTables } from './tables.ts';

type Db = Kysely<AccountsTables>;

const userById = preparedQuery((db: Db, param: Param<{ id: string }>) =>
  db.selectFrom('accounts.users').select(['id', 'email']).where('id', '=', param('id')),
);

const credentialsByEmail = preparedQuery((db: Db, param: Param<{ email: string }>) =>
  db
    .selectFrom('accounts.users')
    .select(['id', 'password_hash'])
    .where('email', '=', param('email')),
);

/** Plain selects that return what a query needs, without loading the aggregate. */
export class SqlUserReadModel implements UserReadModel {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  findUser(id: UserId) {
    return userById.executeTakeFirst(this.#db, { id });
  }

  async findCredentials(email: EmailAddress) {
    const row = await credentialsByEmail.executeTakeFirst(this.#db, { email });
    return row && { userId: row.id as UserId, passwordHash: row.password_hash as PasswordHash };
  }
}
