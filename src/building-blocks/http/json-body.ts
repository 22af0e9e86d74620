import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { BodyError, strictUtf8, unsupportedCharset } from './body-encoding.ts';

/**
 * The JSON body parser: UTF-8 only (nothing is stored as U+FFFD; a body declared in another
 * charset is a 415), an empty body is no body
 * whatever its Content-Type says (`PUT .../archive` needs none), and a `__proto__` key (or a
 * `constructor` key holding `prototype`) is refused with a problem that names it, not "not
 * valid JSON". A route whose body may come in several media types (the login's form or JSON)
 * is validated against the one the request names; a request with no body and no Content-Type
 * names none, and would reach the handler unchecked: it is checked as JSON, so it gets the
 * 422 every other route gives a missing body.
 */
export function acceptJsonBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const body = (route.schema as { body?: { content?: Record<string, unknown> } } | undefined)
      ?.body;
    if (body?.content?.['application/json'] === undefined) return;
    const hooks = route.preValidation === undefined ? [] : [route.preValidation].flat();
    route.preValidation = [checkedAsJson, ...hooks];
  });
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
          new BodyError(
            'FORBIDDEN_KEY',
            400,
            'The body has a __proto__ key, or a constructor key holding a prototype key.',
          ),
        );
      }
      done(error, parsed);
    });
  });
}

const checkedAsJson: preValidationHookHandler = (request, _reply, done) => {
  if (request.headers['content-type'] === undefined) {
    request.headers['content-type'] = 'application/json';
  }
  done();
};

/** Valid JSON that the secure parser refused: it has a forbidden key. */
function isPlainJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
