import { DomainError } from '../domain/domain-error.ts';

/**
 * A repository refused to save an aggregate because someone else saved it first
 * (its version moved on). The bus retries the command; when retries run out the
 * client gets a 409 and may try again.
 */
export class ConcurrencyConflict extends DomainError {
  readonly code = 'concurrent-modification';
  readonly kind = 'conflict';
  /** The aggregate that lost, by the key its repository names it by, when one did. */
  readonly aggregate: string | undefined;

  constructor(what: string, aggregate?: string) {
    super(`${what} was changed by another request at the same time. Please try again.`);
    this.aggregate = aggregate;
  }
}
