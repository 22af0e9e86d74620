import type { Brand } from '../../building-blocks/domain/brand.ts';
import { DomainError } from '../../building-blocks/domain/domain-error.ts';

/** An email address, trimmed and lower-cased, so equal addresses are equal strings. */
export type EmailAddress = Brand<string, 'EmailAddress'>;

export const EMAIL_MAX_LENGTH = 254;

// One "@", a non-empty local part, a domain with at least one dot, no white space.
// Deliverability is the mail server's business; this rejects what is surely not an address.
const SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export class InvalidEmailAddress extends DomainError {
  readonly code = 'invalid-email-address';
  readonly kind = 'invalid';

  constructor() {
    super('The email address is not valid.');
  }
}

export function parseEmailAddress(raw: string): EmailAddress {
  const email = raw.trim().toLowerCase();
  if (email.length > EMAIL_MAX_LENGTH || !SHAPE.test(email)) throw new InvalidEmailAddress();
  return email as EmailAddress;
}
