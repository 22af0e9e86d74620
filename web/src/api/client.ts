import createClient from 'openapi-fetch';
import type { paths } from './schema';

export type Api = ReturnType<typeof createClient<paths>>;

/**
 * A client generated from the service's OpenAPI document (schema.d.ts): every path, body and
 * answer is typed from it, none by hand. `fetch` is where the session adds its token.
 */
export function createApi(
  options: { baseUrl?: string; fetch?: (request: Request) => Promise<Response> } = {},
): Api {
  return createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    ...(options.fetch && { fetch: options.fetch }),
  });
}
