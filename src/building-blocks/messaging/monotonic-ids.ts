import { uuidV7 } from '../infrastructure/uuid-v7.ts';

/**
 * UUIDv7 ids that sort in the order they were made in this process, even within one
 * millisecond (a plain UUIDv7 is random there): the relay delivers a context's messages in
 * the order of their ids. Within a millisecond the next id is the previous one plus one.
 */
export function monotonicUuidV7(): () => string {
  let last = 0n;
  return () => {
    let next = BigInt(`0x${uuidV7().replaceAll('-', '')}`);
    if (next <= last) next = last + 1n;
    last = next;
    const hex = next.toString(16).padStart(32, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
