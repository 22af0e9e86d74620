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
 * The name-value pairs of an `application/x-www-form-urlencoded` body, read as
 * `URLSearchParams` reads them (`+` is a space, a `%` not followed by two hex digits stays),
 * except that percent-escapes that do not make UTF-8 (`%FF`) are an error (400) where
 * `URLSearchParams` would make them U+FFFD: `secret%FF` and `secret%C0` would then be one
 * password.
 */
export function formPairs(text: string): [string, string][] | Error {
  const pairs: [string, string][] = [];
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = strictUtf8(percentDecoded(at === -1 ? pair : pair.slice(0, at)));
    const value = strictUtf8(percentDecoded(at === -1 ? '' : pair.slice(at + 1)));
    if (name instanceof Error) return name;
    if (value instanceof Error) return value;
    pairs.push([name, value]);
  }
  return pairs;
}

/**
 * The bytes a form's name or value stands for: the URL standard's percent-decoding, on the
 * component's UTF-8 bytes held one per character (latin1), so that `%FF` is the byte 0xFF.
 */
function percentDecoded(component: string): Buffer {
  const bytes = Buffer.from(component.replaceAll('+', ' ')).toString('latin1');
  const decoded = bytes.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return Buffer.from(decoded, 'latin1');
}

/**
 * The error for a JSON body whose Content-Type names a charset other than UTF-8 (or ASCII,
 * a part of it): JSON is read as UTF-8 only, so such a body is refused (415) rather than
 * misread. (A form body is percent-encoded ASCII whatever charset it names.)
 */
export function unsupportedCharset(contentType: string | undefined): BodyError | undefined {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset === undefined || UTF8_COMPATIBLE.has(charset)) return undefined;
  return new BodyError('UNSUPPORTED_CHARSET', 415, `Unsupported charset ${charset}.`);
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
const UTF8_COMPATIBLE = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * A `preParsing` hook: the service reads bodies as they are sent, so a compressed one
 * (`Content-Encoding` other than identity) is refused with 415 (RFC 9110, section 15.5.16)
 * rather than parsed as if it were plain; and a transfer coding other than `chunked`
 * (`gzip, chunked`, which Node.js would frame as chunked and read as plain) with 501 (RFC
 * 9112, section 6.1): a proxy in front that decoded it would see another body than this.
 */
export function rejectEncodedBodies(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: RequestPayload,
  done: (error: Error | null, payload?: RequestPayload) => void,
): void {
  const encoding = request.headers['content-encoding'];
  const transfer = request.headers['transfer-encoding'];
  if (encoding !== undefined && BODY_METHODS.has(request.method) && !isIdentity(encoding)) {
    done(new BodyError('UNSUPPORTED_CONTENT_ENCODING', 415, 'Unsupported encoding.'));
  } else if (transfer !== undefined && transfer.trim().toLowerCase() !== 'chunked') {
    done(new BodyError('UNSUPPORTED_TRANSFER_ENCODING', 501, 'Unsupported transfer coding.'));
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
