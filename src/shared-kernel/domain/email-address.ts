import type { Brand } from '../../building-blocks/domain/brand.ts';
import { DomainError } from '../../building-blocks/domain/domain-error.ts';

/** An email address in its normal form (see `normaliseEmail`), so equal addresses are equal strings. */
export type EmailAddress = Brand<string, 'EmailAddress'>;

export const EMAIL_MAX_LENGTH = 254;

// One "@", a non-empty local part, a domain with at least one dot, no white space and no
// control character (a NUL byte cannot even be stored in PostgreSQL's text).
// Deliverability is the mail server's business; this rejects what is surely not an address.
const SHAPE = /^[^\s@\p{Cc}]+@[^\s@.\p{Cc}]+(\.[^\s@.\p{Cc}]+)+$/u;

export class InvalidEmailAddress extends DomainError {
  readonly code = 'invalid-email-address';
  readonly kind = 'invalid';

  constructor() {
    super('The email address is not valid.');
  }
}

/**
 * The one place an email address is normalised: trimmed, Unicode NFC (so one address typed
 * with composed or decomposed accents is one string), lower-cased. Storage, look-ups and the
 * per-account login throttle all key on this form.
 */
export function normaliseEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

export function parseEmailAddress(raw: string): EmailAddress {
  const email = normaliseEmail(raw);
  if (email.length > EMAIL_MAX_LENGTH || !SHAPE.test(email) || !email.isWellFormed()) {
    throw new InvalidEmailAddress();
  }
  return email as EmailAddress;
}
