import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Page } from '../application/queries/project-read-model.ts';
import { encodeCursor } from './cursor.ts';

/**
 * The page's `nextCursor` (null on the last page), and the `Link: <...>; rel="next"` header
 * (RFC 8288) to the next page: the same path and query with the next cursor.
 */
export function nextPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: Page<unknown>,
  scope: string,
): string | null {
  if (page.next === null) return null;
  const cursor = encodeCursor({ scope, after: page.next });
  const url = new URL(request.url, 'http://host');
  url.searchParams.set('cursor', cursor);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
  return cursor;
}
