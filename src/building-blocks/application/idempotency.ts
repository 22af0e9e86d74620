import { DomainError } from '../domain/domain-error.ts';

/** The answer a request got, kept to give again to a repeat of it. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request with an `Idempotency-Key`: whose, which key, and a digest of what it asked. */
export interface IdempotentRequest {
  userId: string;
  key: string;
  /** Digest of the method, the path and the body: the same key must come with the same. */
  fingerprint: string;
}

/**
 * The right to run a keyed request, held by one request at a time (`token`). A command that
 * carries one stores its answer with `IdempotencyRecords.complete`, in its own transaction:
 * the answer is committed exactly when what the command did is.
 */
export interface IdempotencyClaim extends IdempotentRequest {
  token: string;
  /** The response a client gets for the command's result. */
  answer(result: unknown): StoredResponse;
}

/** What a keyed request finds before it runs. */
export type ClaimOutcome =
  | { kind: 'claimed'; claim: IdempotencyClaim }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-flight' };

/** Claims and releases keys, each in a short transaction of its own, before a command runs. */
export interface IdempotencyStore {
  claim(
    request: IdempotentRequest,
    answer: IdempotencyClaim['answer'],
    now: Date,
  ): Promise<ClaimOutcome>;
  /** Gives up a claim whose command failed (it changed nothing): the key may be used again. */
  release(claim: IdempotencyClaim): Promise<void>;
}

/** The records on a command's transaction. */
export interface IdempotencyRecords {
  /** Stores the claim's answer for `result`; `IdempotencyKeyInFlight` if the claim was lost. */
  complete(claim: IdempotencyClaim, result: unknown): Promise<void>;
  /** Forgets every key of a user whose account is gone, and the answers kept for them. */
  forgetAllOf(userId: string): Promise<void>;
}

export class IdempotencyKeyReused extends DomainError {
  readonly code = 'idempotency-key-reused';
  readonly kind = 'invalid';

  constructor() {
    super(
      'This Idempotency-Key was used with another request (method, path or body): use a new key for a new request.',
    );
  }
}

export class IdempotencyKeyInFlight extends DomainError {
  readonly code = 'idempotency-key-in-flight';
  readonly kind = 'conflict';

  constructor() {
    super(
      'A request with this Idempotency-Key is still being processed: retry in a moment to get its answer.',
    );
  }
}
