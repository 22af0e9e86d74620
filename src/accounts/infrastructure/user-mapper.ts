import type { Insertable, Selectable } from 'kysely';
import { readTimestamp } from '../../building-blocks/infrastructure/database/timestamps.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { PasswordHash } from '../domain/password.ts';
import { User } from '../domain/user.ts';
import type { UsersTable } from './tables.ts';

export function toRow(user: User): Insertable<UsersTable> {
  return {
    id: user.id,
    email: user.email,
    password_hash: user.passwordHash,
    created_at: user.createdAt.toISOString(),
    version: user.version,
  };
}

export function fromRow(row: Selectable<UsersTable>): User {
  return User.restore({
    id: row.id as UserId,
    email: row.email as EmailAddress,
    passwordHash: row.password_hash as PasswordHash,
    createdAt: readTimestamp(row.created_at),
    version: row.version,
  });
}
