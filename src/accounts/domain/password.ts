import type { Brand } from '../../building-blocks/domain/brand.ts';
import { DomainError } from '../../building-blocks/domain/domain-error.ts';
import { codePoints } from '../../shared-kernel/domain/code-points.ts';

/** A password as the person typed it, NFKC-normalised, known to satisfy the rules. Never stored. */
export type Password = Brand<string, 'Password'>;

/** The stored, salted one-way hash of a password (a PHC string). */
export type PasswordHash = Brand<string, 'PasswordHash'>;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const CONTROL_CHARACTER = /\p{Cc}/u;
const ONLY_WHITE_SPACE = /^\s*$/u;

export class PasswordRulesNotMet extends DomainError {
  readonly code = 'password-rules-not-met';
  readonly kind = 'invalid';

  constructor(why: string) {
    super(
      `A password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long, not only spaces, and hold no control or broken characters: ${why}.`,
    );
  }
}

export class PasswordTooCommon extends DomainError {
  readonly code = 'password-too-common';
  readonly kind = 'invalid';

  constructor() {
    super(
      'This password is one of the most common passwords, the first ones an attacker tries: choose another.',
    );
  }
}

/** The list of passwords too common to accept (lower-case, NFKC). */
export interface CommonPasswords {
  has(password: string): boolean;
}

/**
 * NFKC: a password typed with a compatibility form (a full-width letter, a ligature, a
 * composed or decomposed accent) is the same password on every keyboard.
 */
export function normalisePassword(raw: string): string {
  return raw.normalize('NFKC');
}

/**
 * The length the rules count: characters (code points, as a person counts them) once
 * NFKC-normalised. The HTTP edge checks the same, so both say the same of a password.
 */
export function passwordLength(raw: string): number {
  return codePoints(normalisePassword(raw));
}

/** Length is counted in characters (code points), as a person counts them; spaces are fine. */
export function parsePassword(raw: string): Password {
  const password = normalisePassword(raw);
  const length = codePoints(password);
  if (length < PASSWORD_MIN_LENGTH) throw new PasswordRulesNotMet(`it has ${length} characters`);
  if (length > PASSWORD_MAX_LENGTH) throw new PasswordRulesNotMet(`it has ${length} characters`);
  if (CONTROL_CHARACTER.test(password)) {
    throw new PasswordRulesNotMet('it holds a control character');
  }
  // Half of a UTF-16 pair: hashed as UTF-8 it would become a replacement character, so
  // any other lone surrogate (or U+FFFD itself) would open the account too.
  if (!password.isWellFormed()) {
    throw new PasswordRulesNotMet('it holds a broken character (a lone surrogate)');
  }
  if (ONLY_WHITE_SPACE.test(password)) throw new PasswordRulesNotMet('it is only white space');
  return password as Password;
}

/** Checked against the list, whatever the case: `PassWord1` is as weak as `password1`. */
export function ensurePasswordIsNotCommon(password: Password, common: CommonPasswords): void {
  if (common.has(password.toLowerCase())) throw new PasswordTooCommon();
}
