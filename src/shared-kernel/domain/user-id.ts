import type { Brand } from '../../building-blocks/domain/brand.ts';
import { DomainError } from '../../building-blocks/domain/domain-error.ts';

/** A user's identity: a UUID (version 7 when this service makes it), lower-case. */
export type UserId = Brand<string, 'UserId'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class InvalidUserId extends DomainError {
  readonly code = 'invalid-user-id';
  readonly kind = 'invalid';

  constructor() {
    super('A user id must be a UUID.');
  }
}

export function parseUserId(value: string): UserId {
  const id = value.toLowerCase();
  if (!UUID.test(id)) throw new InvalidUserId();
  return id as UserId;
}
