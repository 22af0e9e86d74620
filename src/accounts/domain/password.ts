import type { Brand } from '../../building-blocks/domain/brand.ts';
import { DomainError } from '../../building-blocks/domain/domain-error.ts';

/** A password as the person typed it, known to satisfy the rules. Never stored. */
export type Password = Brand<string, 'Password'>;

/** The stored, salted one-way hash of a password (a PHC string). */
export type PasswordHash = Brand<string, 'PasswordHash'>;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export class PasswordRulesNotMet extends DomainError {
  readonly code = 'password-rules-not-met';
  readonly kind = 'invalid';

  constructor() {
    super(`A password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`);
  }
}

/** Length is counted in characters (code points), as a person counts them. */
export function parsePassword(raw: string): Password {
  const length = [...raw].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw new PasswordRulesNotMet();
  }
  return raw as Password;
}
