import { isIP } from 'node:net';
import { ConfigError } from './config-error.ts';

/**
 * Whose `X-Forwarded-For` to believe when telling the client's address (the auth rate limit
 * counts per address): nobody, everybody, or proxies at these addresses and ranges.
 * Fastify's `trustProxy` setting (which no longer takes a number of hops: it cannot check
 * the nearest peer, so Fastify trusts nobody then).
 */
export type TrustProxy = boolean | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `false` (the default), `true`, or a comma-separated list of addresses, CIDR ranges and
 * the names `loopback`, `linklocal`, `uniquelocal`. */
export function parseTrustProxy(value = 'false'): TrustProxy {
  const text = value.trim();
  if (text === 'false' || text === '') return false;
  if (text === 'true') return true;
  const entries = text.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !NAMED_RANGES.has(entry) && !isAddressOrRange(entry));
  if (invalid !== undefined) {
    throw new ConfigError(
      `Invalid setting TRUST_PROXY: "${invalid}" is not true, false, an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
    );
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return (
    prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128))
  );
}
