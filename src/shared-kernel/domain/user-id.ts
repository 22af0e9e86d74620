import type { Brand } from '../../building-blocks/domain/brand.ts';
import { DomainError } from '../../building-blocks/domain/domain-error.ts';
import { isUuid } from './uuid.ts';

/** A user's identity: a UUID (version 7 when this service makes it), lower-case. */
export type UserId = Brand<string, 'UserId'>;

export class InvalidUserId extends DomainError {
  readonly code = 'invalid-user-id';
  readonly kind = 'invalid';

  constructor() {
    super('A user id must be a UUID.');
  }
}

export function parseUserId(value: string): UserId {
  const id = value.toLowerCase();
  if (!isUuid(id)) throw new InvalidUserId();
  return id as UserId;
}
