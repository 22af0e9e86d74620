import type { Kysely } from 'kysely';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { ReadConnection } from '../../building-blocks/infrastructure/database/read-connection.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { UserReadModel } from '../application/queries/user-read-model.ts';
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
  readonly #reads: ReadConnection;

  constructor(reads: ReadConnection) {
    this.#reads = reads;
  }

  async findUser(id: UserId) {
    const [row] = await userById.read(this.#reads, { id });
    return row;
  }

  async findCredentials(email: EmailAddress) {
    const [row] = await credentialsByEmail.read(this.#reads, { email });
    return row && { userId: row.id as UserId, passwordHash: row.password_hash as PasswordHash };
  }
}
