import type { FastifyReply } from 'fastify';
import { z } from 'zod';

/**
 * HTTP conditional requests (RFC 9110 §13) over opaque tags: `ETag: "<tag>"`, `If-Match`
 * (strong comparison: a weak `W/` tag never matches) and `If-None-Match` (weak comparison).
 */
export const quoted = (tag: string): string => `"${tag}"`;

const ENTITY_TAG = /\s*(W\/)?"([\x21\x23-\x7e]*)"\s*/y;
/** White space and commas: the empty elements a list may have, to be ignored (RFC 9110 §5.6.1). */
const EMPTY_ELEMENTS = /[\s,]*/y;

/** The tags of a header's list, or `*`; a malformed list holds no tag (so it never matches). */
function parseTags(header: string): { any: boolean; tags: { weak: boolean; tag: string }[] } {
  if (header.trim() === '*') return { any: true, tags: [] };
  const tags: { weak: boolean; tag: string }[] = [];
  for (let at = 0; ; ) {
    EMPTY_ELEMENTS.lastIndex = at;
    EMPTY_ELEMENTS.exec(header);
    if (EMPTY_ELEMENTS.lastIndex === header.length) return { any: false, tags };
    ENTITY_TAG.lastIndex = EMPTY_ELEMENTS.lastIndex;
    const match = ENTITY_TAG.exec(header);
    if (!match) return { any: false, tags: [] };
    tags.push({ weak: match[1] !== undefined, tag: match[2] as string });
    at = ENTITY_TAG.lastIndex;
    if (at < header.length && header[at] !== ',') return { any: false, tags: [] };
  }
}

/**
 * The strong tags `If-Match` accepts, for the command to compare inside its transaction:
 * undefined without the header or with `*` (any current state will do), an empty list when
 * nothing can match.
 */
export function ifMatchTags(header: string | undefined): string[] | undefined {
  if (header === undefined) return undefined;
  const { any, tags } = parseTags(header);
  if (any) return undefined;
  return tags.filter((t) => !t.weak).map((t) => t.tag);
}

/** Whether `If-None-Match` names the current tag (so a GET answers 304). */
export function noneMatchHolds(header: string | undefined, current: string): boolean {
  if (header === undefined) return false;
  const { any, tags } = parseTags(header);
  return any || tags.some((t) => t.tag === current);
}

/** The request headers of a conditional route, for its schema (and so the OpenAPI document). */
export const ConditionalHeaders = z.looseObject({
  'if-match': z
    .string()
    .optional()
    .describe('Act only if the resource still has this ETag (else 412); `*` for any.'),
});

export const CacheValidationHeaders = z.looseObject({
  'if-none-match': z
    .string()
    .optional()
    .describe('The ETag of the copy held: 304 Not Modified when it is still current.'),
});

/**
 * A 304 Not Modified: no body, and no `Content-Type` or `Content-Length` of one (a 304 that
 * says `Content-Length: 4` for a body it does not send leaves a client reading for it).
 */
export function notModified(reply: FastifyReply): FastifyReply {
  return reply.status(304).send();
}
