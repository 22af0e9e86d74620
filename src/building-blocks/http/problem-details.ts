import { STATUS_CODES } from 'node:http';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import { DomainError, type DomainErrorKind } from '../domain/domain-error.ts';
import { validationProblem } from './validation-problem.ts';

/**
 * Where the problem types are described: `type` is this path and the code as its fragment,
 * a URI reference resolved against the service's own address (RFC 9457, section 3.1.1).
 */
export const PROBLEM_TYPES_PATH = '/problems';

const problemFields = {
  type: z
    .string()
    .describe('URI reference naming the kind of problem; GET it for a description.')
    .meta({ examples: ['/problems#project-archived'] }),
  title: z
    .string()
    .describe('Short summary of the kind of problem.')
    .meta({ examples: ['Conflict'] }),
  status: z
    .int()
    .min(400)
    .max(599)
    .meta({ examples: [409] }),
  detail: z
    .string()
    .describe('What went wrong this time, in a sentence a person can act on.')
    .meta({
      examples: ['The project is archived: unarchive it before changing it or its tasks.'],
    }),
  code: z
    .string()
    .describe('Stable machine-readable code of the problem; clients may switch on it.')
    .meta({ examples: ['project-archived'] }),
};

/** RFC 9457 problem document, the body of every error response. */
export const ProblemDocument = z.object(problemFields).meta({ id: 'Problem' });

/** A 422: a problem document that names each invalid field once, when the schema found them. */
export const ValidationProblemDocument = z
  .object({
    ...problemFields,
    errors: z
      .array(
        z.object({
          path: z.string().meta({ examples: ['name'] }),
          message: z.string().meta({ examples: ['must be at least 4 characters'] }),
        }),
      )
      .optional()
      .describe('One entry per invalid field (code `validation-failed`).'),
  })
  .meta({ id: 'ValidationProblem' });

export type ProblemDocument = z.infer<typeof ValidationProblemDocument>;

/** The one table from domain errors to HTTP. */
const BY_KIND: Record<DomainErrorKind, { status: number; title: string }> = {
  invalid: { status: 422, title: 'Invalid request' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  unauthenticated: { status: 401, title: 'Unauthorized' },
  stale: { status: 412, title: 'Precondition failed' },
  forbidden: { status: 403, title: 'Forbidden' },
  throttled: { status: 429, title: 'Too many requests' },
};

interface KnownError {
  status: number;
  code: string;
  title: string;
  detail?: string;
}

const MALFORMED = { status: 400, code: 'malformed-body', title: 'Malformed request' } as const;

/** Errors Fastify (or this service's body parsers) raise before a route runs, by their code. */
const FRAMEWORK_ERRORS: Record<string, KnownError> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    title: 'Unsupported media type',
    detail: 'Send the body as JSON, with Content-Type: application/json.',
  },
  UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    code: 'unsupported-content-encoding',
    title: 'Unsupported media type',
    detail: 'Send the body uncompressed: leave Content-Encoding out or set it to identity.',
  },
  UNSUPPORTED_CHARSET: {
    status: 415,
    code: 'unsupported-media-type',
    title: 'Unsupported media type',
    detail: 'Send JSON encoded as UTF-8: leave the charset out or set it to utf-8.',
  },
  UNSUPPORTED_TRANSFER_ENCODING: {
    status: 501,
    code: 'unsupported-transfer-encoding',
    title: 'Not implemented',
    detail: 'The only transfer coding the service reads is chunked.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body-too-large', title: 'Payload too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: MALFORMED,
  FST_ERR_CTP_INVALID_JSON_BODY: MALFORMED,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: MALFORMED,
  FST_ERR_CTP_INVALID_CONTENT_ENCODING: MALFORMED,
  INVALID_UTF8: { ...MALFORMED, detail: 'The body is not valid UTF-8: send it encoded as UTF-8.' },
  REPEATED_PARAMETER: MALFORMED,
  FORBIDDEN_KEY: {
    status: 400,
    code: 'forbidden-key',
    title: 'Malformed request',
    detail:
      'The body must not contain a "__proto__" key, or a "constructor" key holding "prototype": remove it.',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'malformed-url',
    title: 'Malformed request',
    detail: 'The URL is not valid: percent-encode it as UTF-8.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 404,
    code: 'not-found',
    title: 'Not found',
    detail: 'There is no such resource: a path parameter is far too long.',
  },
  // A documentation path that climbs out of its folder (`/docs/static/../../package.json`):
  // for the client, a file that is not there.
  FST_STATIC_FORBIDDEN_PATH: {
    status: 404,
    code: 'not-found',
    title: 'Not found',
    detail: 'There is no such documentation file.',
  },
};

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  errors?: ProblemDocument['errors'],
): ProblemDocument {
  const type = `${PROBLEM_TYPES_PATH}#${code}`;
  return { type, title, status, detail, code, ...(errors && { errors }) };
}

/** Turns anything thrown while serving a request into the problem document to send. */
export function toProblem(error: unknown): ProblemDocument {
  if (error instanceof DomainError) {
    const { status, title } = BY_KIND[error.kind];
    return problem(status, error.code, title, error.message);
  }
  if (error instanceof DatabaseUnavailable) {
    return error.nothingWritten
      ? problem(
          503,
          'service-unavailable',
          'Service unavailable',
          `The ${error.store} is unavailable for a moment and nothing was changed. Please try again shortly.`,
        )
      : problem(
          503,
          'outcome-unknown',
          'Service unavailable',
          'The connection to the database was lost while the change was being saved, so it may or may not have been saved. Look before sending it again.',
        );
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const { detail, errors } = validationProblem(error.validationContext, error.validation);
    return problem(422, 'validation-failed', 'Invalid request', detail, errors);
  }
  const raised = error as { code?: string; statusCode?: number; message?: string };
  const known = raised.code ? FRAMEWORK_ERRORS[raised.code] : undefined;
  if (known) {
    const detail = known.detail ?? sentence(raised.message);
    return problem(known.status, known.code, known.title, detail);
  }
  if (error instanceof SyntaxError && raised.statusCode === 400) {
    return problem(400, 'malformed-body', 'Malformed request', 'The body is not valid JSON.');
  }
  if (raised.statusCode === 429) {
    return problem(429, 'too-many-requests', 'Too many requests', sentence(raised.message));
  }
  // Any other client error the framework raises keeps its status: only a fault is a 500.
  const status = raised.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const title = STATUS_CODES[status] ?? 'Bad request';
    return problem(status, 'bad-request', title, sentence(raised.message));
  }
  return problem(
    500,
    'internal-error',
    'Internal server error',
    'Something went wrong on our side. Please try again later.',
  );
}

function sentence(message: string | undefined): string {
  const text = (message ?? 'The request could not be processed').trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The error responses a route can give, documented in OpenAPI with the problem schema. */
export function problemResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((status) => [status, ProblemDocument])) as {
    [K in S[number]]: typeof ProblemDocument;
  };
}
