/**
 * What kind of "no" a rule gives. The HTTP edge maps each kind to one status code
 * (src/building-blocks/http/problem-details.ts); the domain never mentions HTTP.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'not-found'
  | 'conflict'
  | 'unauthenticated'
  /** The client's copy is stale: a condition it set (`If-Match`) no longer holds. */
  | 'stale'
  | 'forbidden'
  /** Too many attempts: the error says when to try again (`retryAfterSeconds`). */
  | 'throttled';

/**
 * Base of every error a business rule raises. `code` is stable and machine-readable
 * (clients may switch on it); the message is a sentence a person can act on.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;
  /** For a `throttled` error: in how many seconds an attempt may be admitted again. */
  readonly retryAfterSeconds?: number;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
