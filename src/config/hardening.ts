import { ConfigError } from './config-error.ts';

export type { LoginThrottleSettings, SessionCacheSettings } from '../accounts/module.ts';
export type { HttpEdgeOptions as HttpEdgeSettings } from '../building-blocks/http/http-edge.ts';

/** A comma-separated list of origins (`https://app.example.com`), each scheme://host[:port]. */
export function parseCorsOrigins(value = ''): string[] {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      throw new ConfigError(
        `Invalid setting CORS_ORIGINS: "${origin}" is not an origin such as https://app.example.com`,
      );
    }
  }
  return origins;
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.origin === text;
  } catch {
    return false;
  }
}
