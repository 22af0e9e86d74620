import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';

/** Methods whose body Fastify reads, and so can refuse (400, 413, 415). */
export const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** An error of a body found while reading it, with its status (see problem-details.ts). */
export class BodyError extends Error {
  readonly code: string;
  readonly statusCode: number;

  constructor(code: string, statusCode: number, message: string) {
    super(message);
    this.code = code;
    this.statusCode = statusCode;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or an error (400) when it is not valid UTF-8: nothing is stored as U+FFFD. */
export function strictUtf8(body: Buffer): string | Error {
  try {
    return utf8.decode(body);
  } catch {
    return new BodyError('INVALID_UTF8', 400, 'The body is not valid UTF-8.');
  }
}

/**
 * A `preParsing` hook: the service reads bodies as they are sent, so a compressed one
 * (`Content-Encoding` other than identity) is refused with 415 (RFC 9110, section 15.5.16)
 * rather than parsed as if it were plain.
 */
export function rejectEncodedBodies(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: RequestPayload,
  done: (error: Error | null, payload?: RequestPayload) => void,
): void {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && BODY_METHODS.has(request.method) && !isIdentity(encoding)) {
    done(new BodyError('UNSUPPORTED_CONTENT_ENCODING', 415, 'Unsupported encoding.'));
  } else {
    done(null, payload);
  }
}

function isIdentity(encoding: string): boolean {
  return encoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .every((coding) => coding === 'identity' || coding === '');
}
