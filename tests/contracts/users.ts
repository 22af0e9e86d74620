import type { PasswordHash } from '../../src/accounts/domain/password.ts';
import { User } from '../../src/accounts/domain/user.ts';
import { uuidV7 } from '../../src/building-blocks/infrastructure/uuid-v7.ts';
import type { EmailAddress } from '../../src/shared-kernel/domain/email-address.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';

export const REGISTERED_AT = new Date('2026-01-02T03:04:05.000Z');

/** A newly registered user with this email (already normalised) and a fixed hash. */
export function aUser(email: string, passwordHash = '$argon2id$test'): User {
  return User.register({
    id: uuidV7() as UserId,
    email: email as EmailAddress,
    passwordHash: passwordHash as PasswordHash,
    now: REGISTERED_AT,
  });
}
