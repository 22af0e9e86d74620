import { readFileSync } from 'node:fs';

/** The service's own name and version, from package.json (OpenAPI, traces' resource). */
export const servicePackage = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { name: string; version: string };
