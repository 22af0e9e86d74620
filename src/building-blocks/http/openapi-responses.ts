import type { Json } from './openapi-json.ts';

/** What each status means in this API, for operations that say nothing more specific. */
const DESCRIPTIONS: Record<string, string> = {
  200: 'Success: the resource as it is now.',
  201: 'Created: the new resource; `Location` names its URL.',
  204: 'Done: there is no body.',
  400: 'The request is malformed: its body is not valid JSON or UTF-8, has a `__proto__` key (or a `constructor` key holding `prototype`), or its length or encoding is wrong.',
  401: 'No valid access token (or wrong credentials on the login route).',
  404: 'There is no such resource, or it belongs to someone else.',
  409: 'A rule of the domain refuses the change, or it conflicts with the current state.',
  413: 'The body is larger than the service accepts.',
  415: 'The body has a media type, a charset or a `Content-Encoding` the route does not take.',
  422: 'A field or a path parameter is invalid; `errors` names each one.',
  429: 'Too many attempts, from this client or on this account; `Retry-After` says when to try again.',
  501: 'The body is sent in a transfer coding other than chunked.',
  503: 'The database is unavailable for a moment. `service-unavailable`: nothing was changed, send the request again after `Retry-After` seconds. `outcome-unknown` (no `Retry-After`): the change may or may not be stored, look before sending it again.',
};

const PROBLEM = 'application/problem+json';

/** Response headers, shared as components and referenced by the responses that carry them. */
const HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description:
      'The id of this request in the service’s logs: the caller’s own X-Request-Id when it looks like an id, otherwise a fresh UUID.',
    required: true,
    schema: { type: 'string', examples: ['0b9d3c4e-6f1a-4d2b-9a57-1f0c2e8d7b61'] },
  },
  Location: {
    description: 'The URL of the resource just created.',
    required: true,
    schema: { type: 'string', format: 'uri-reference', examples: ['/api/projects/42'] },
  },
  'WWW-Authenticate': {
    description: 'How to authenticate: a bearer token.',
    required: true,
    schema: { type: 'string', examples: ['Bearer realm="api"'] },
  },
  ETag: {
    description:
      'The version of this representation (strong): send it back as If-Match to change the resource only if nobody else did, or as If-None-Match to get a 304 while it is current.',
    required: true,
    schema: { type: 'string', examples: ['"p7"'] },
  },
  Link: {
    description: 'The next page (RFC 8288, rel="next"); absent on the last page.',
    required: false,
    schema: {
      type: 'string',
      examples: ['</api/projects?limit=50&cursor=YzF8cHJvamVjdHN8NTA>; rel="next"'],
    },
  },
  'Idempotent-Replayed': {
    description:
      'true: this is the stored answer of an earlier request with the same Idempotency-Key.',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
  'Cache-Control': {
    description:
      'no-store: the answer to a request with credentials is that user’s, for no cache to keep (RFC 6749 §5.1 asks the same of the token response).',
    required: true,
    schema: { type: 'string', const: 'no-store' },
  },
  'Set-Cookie': {
    description:
      'The refresh-token cookie: set (HttpOnly, SameSite=Strict, scoped to the token route) by a login or refresh with `X-Refresh-Token-Transport: cookie`; cleared by a logout, and by a refused refresh whose cookie names no live session.',
    required: false,
    schema: { type: 'string' },
  },
  'Retry-After': {
    description:
      'Seconds to wait before sending the request again (absent on a 503 `outcome-unknown`).',
    required: false,
    schema: { type: 'string', pattern: '^[0-9]+$', examples: ['1'] },
  },
};

function headersOf(status: number): Json {
  const names = ['X-Request-Id'];
  if (status === 201) names.push('Location');
  if (status === 401) names.push('WWW-Authenticate');
  if (status === 429 || status === 503) names.push('Retry-After');
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/**
 * Finishes an operation's responses: every error is a problem document, every response
 * names its headers, and none is left a "Default Response".
 */
export function describeResponses(responses: Json): Json {
  const result: Json = {};
  for (const [key, response] of Object.entries(responses)) {
    const status = Number(key);
    const described: Json = { ...response };
    if (!response.description || response.description === 'Default Response') {
      described.description = DESCRIPTIONS[key] ?? 'See the operation’s description.';
    }
    if (status >= 400 && response.content?.['application/json']) {
      described.content = { [PROBLEM]: response.content['application/json'] };
    }
    described.headers = { ...headersOf(status), ...response.headers };
    result[key] = described;
  }
  return result;
}

describeResponses.headers = HEADERS;
