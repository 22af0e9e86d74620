import type { z } from 'zod';
import type { DomainEvent } from '../domain/domain-event.ts';

/**
 * An integration event as it crosses contexts: its type, the version of its payload's shape
 * and the Zod schema that payload must parse with. Declared once, by the context that
 * publishes it; a consumer subscribes with the contract, so what it reads is validated.
 * A change that breaks a consumer gets a new version (and a new contract) instead.
 */
export interface MessageContract<E extends DomainEvent = DomainEvent> {
  readonly type: E['type'];
  readonly version: number;
  readonly schema: z.ZodType<E['payload']>;
}

export function messageContract<E extends DomainEvent>(
  type: E['type'],
  version: number,
  schema: z.ZodType<E['payload']>,
): MessageContract<E> {
  return { type, version, schema };
}
