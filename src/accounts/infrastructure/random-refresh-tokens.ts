import { createHash, randomBytes } from 'node:crypto';
import type { RefreshTokens } from '../application/ports.ts';
import type { RefreshTokenHash } from '../domain/session.ts';

/**
 * 256 random bits, base64url. A token this random needs no salt or slow hash: SHA-256 is
 * enough to make a stolen table of hashes useless, and lets a token be found by its hash.
 */
export const randomRefreshTokens: RefreshTokens = {
  generate() {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashOf(token) };
  },
  hashOf,
};

function hashOf(token: string): RefreshTokenHash {
  return createHash('sha256').update(token).digest('base64url') as RefreshTokenHash;
}
