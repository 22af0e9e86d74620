import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import { DomainError, type DomainErrorKind } from '../domain/domain-error.ts';

/** RFC 9457 problem document, the body of every error response. */
export const ProblemDocument = z
  .object({
    type: z.string().describe('URI naming the kind of problem.'),
    title: z.string().describe('Short summary of the kind of problem.'),
    status: z.number().int(),
    detail: z.string().describe('What went wrong this time, in a sentence a person can act on.'),
    code: z.string().describe('Stable machine-readable code of the problem.'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field, for validation problems.'),
  })
  .meta({ id: 'Problem' });

export type ProblemDocument = z.infer<typeof ProblemDocument>;

/** The one table from domain errors to HTTP. */
const BY_KIND: Record<DomainErrorKind, { status: number; title: string }> = {
  invalid: { status: 422, title: 'Invalid request' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  unauthenticated: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
};

/** Errors Fastify raises before a route runs, by their code. */
const FASTIFY_ERRORS: Record<
  string,
  { status: number; code: string; title: string; detail?: string }
> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    title: 'Unsupported media type',
    detail: 'Send the body as JSON, with Content-Type: application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body-too-large', title: 'Payload too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed-body', title: 'Malformed request' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed-body',
    title: 'Malformed request',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'malformed-body',
    title: 'Malformed request',
  },
  FST_ERR_CTP_INVALID_CONTENT_ENCODING: {
    status: 400,
    code: 'malformed-body',
    title: 'Malformed request',
  },
};

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  errors?: ProblemDocument['errors'],
): ProblemDocument {
  return { type: `urn:problem:${code}`, title, status, detail, code, ...(errors && { errors }) };
}

/** Turns anything thrown while serving a request into the problem document to send. */
export function toProblem(error: unknown): ProblemDocument {
  if (error instanceof DomainError) {
    const { status, title } = BY_KIND[error.kind];
    return problem(status, error.code, title, error.message);
  }
  if (error instanceof DatabaseUnavailable) {
    return problem(
      503,
      'service-unavailable',
      'Service unavailable',
      'The database is unavailable for a moment. Please try again shortly.',
    );
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: fieldPath(error.validationContext, issue.instancePath),
      message: issue.message ?? 'is invalid',
    }));
    const fields = errors.map((e) => e.path).join(', ');
    return problem(422, 'validation-failed', 'Invalid request', `Invalid: ${fields}.`, errors);
  }
  const fastifyError = error as { code?: string; statusCode?: number; message?: string };
  const known = fastifyError.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) {
    const detail = known.detail ?? sentence(fastifyError.message);
    return problem(known.status, known.code, known.title, detail);
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return problem(400, 'malformed-body', 'Malformed request', 'The body is not valid JSON.');
  }
  if (fastifyError.statusCode === 429) {
    return problem(429, 'too-many-requests', 'Too many requests', sentence(fastifyError.message));
  }
  return problem(
    500,
    'internal-error',
    'Internal server error',
    'Something went wrong on our side. Please try again later.',
  );
}

function fieldPath(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (context === 'body') return path || '(body)';
  return path ? `${context ?? 'request'}.${path}` : (context ?? 'request');
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
