import type { RouteOptions } from 'fastify';
import { BODY_METHODS } from './body-encoding.ts';
import { ProblemDocument, ValidationProblemDocument } from './problem-details.ts';

/**
 * The error statuses a route can give whatever it does, added to its response schemas when
 * it is registered: the document lists them, and the problem documents are written by the
 * same serializer as any other response. A route names only the statuses of its own rules
 * (404, 409, ...).
 *
 * - a method with a body: 400 (malformed), 413 (too large), 415 (media type, charset or
 *   encoding), 501 (a transfer coding other than chunked);
 * - a route with path parameters: 400 (a URL that is not valid percent-encoding);
 * - a route with a body, path or query schema: 422;
 * - a route with a security requirement: 401;
 * - a rate-limited route: 429;
 * - a route under `/api` (they all read or write the database): 503.
 */
export function addStandardResponses(route: RouteOptions): void {
  const schema = route.schema as
    | { hide?: boolean; security?: unknown[]; response?: Record<number, unknown> }
    | undefined;
  if (!schema || schema.hide) return;
  const statuses: Record<number, unknown> = {};
  const methods = [route.method].flat();
  if (methods.some((method) => BODY_METHODS.has(method))) {
    statuses[400] = statuses[413] = statuses[415] = statuses[501] = ProblemDocument;
  }
  // A path whose percent-encoding is not valid UTF-8 is a 400 before any route runs.
  if (route.schema?.params) statuses[400] = ProblemDocument;
  if (schema.security?.length) statuses[401] = ProblemDocument;
  if (route.schema?.body || route.schema?.params || route.schema?.querystring) {
    statuses[422] = ValidationProblemDocument;
  }
  if ((route.config as { rateLimit?: unknown } | undefined)?.rateLimit) {
    statuses[429] = ProblemDocument;
  }
  if (route.url.startsWith('/api/')) statuses[503] = ProblemDocument;
  const response = { ...statuses, ...schema.response };
  if (response[422] === ProblemDocument) response[422] = ValidationProblemDocument;
  schema.response = response;
}
