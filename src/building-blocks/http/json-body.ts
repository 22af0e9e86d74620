import type { FastifyInstance } from 'fastify';
import { BodyError, strictUtf8, unsupportedCharset } from './body-encoding.ts';

/**
 * The JSON body parser: UTF-8 only (nothing is stored as U+FFFD; a body declared in another
 * charset is a 415), an empty body is no body
 * whatever its Content-Type says (`PUT .../archive` needs none), and a `__proto__` or
 * `constructor` key is refused with a problem that names it, not "not valid JSON".
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = unsupportedCharset(request.headers['content-type']);
    if (charset) return done(charset);
    const text = strictUtf8(body as Buffer);
    if (text instanceof Error) return done(text);
    if (text === '') return done(null, undefined);
    parseJson(request, text, (error, parsed) => {
      if (error && isPlainJson(text)) {
        return done(
          new BodyError('FORBIDDEN_KEY', 400, 'The body has a __proto__ or constructor key.'),
        );
      }
      done(error, parsed);
    });
  });
}

/** Valid JSON that the secure parser refused: it has a forbidden key. */
function isPlainJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
