import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import {
  type Authenticator,
  NotAuthenticated,
} from '../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';

/** What a route needs to require a bearer token and learn who sent it. */
export interface BearerAuthentication {
  /** A Fastify `onRequest` hook: rejects the request with 401 unless its token is valid. It runs
   * before the body is read, so an anonymous caller learns nothing from validation errors. */
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  /** The authenticated caller of a request that passed `onRequest`. */
  userOf(request: FastifyRequest): UserId;
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer `onRequest` hook; read it through `BearerAuthentication.userOf`. */
    caller: UserId | null;
  }
}

/**
 * The hook answers a token it recognises (verified before, its user known to exist) at once,
 * and waits for the authenticator only otherwise: most requests carry a token the process has
 * seen, and a callback hook that finishes synchronously costs a read several microseconds
 * less than an async one.
 */
export function bearerAuthentication(
  http: FastifyInstance,
  authenticator: Authenticator,
): BearerAuthentication {
  http.decorateRequest('caller', null);
  return {
    onRequest(request, _reply, done) {
      const header = request.headers.authorization;
      if (!header) {
        return done(new NotAuthenticated('This route needs an Authorization: Bearer token.'));
      }
      const token = BEARER.exec(header)?.[1];
      if (!token) {
        return done(new NotAuthenticated('The Authorization header must be "Bearer <token>".'));
      }
      const known = authenticator.recognise(token);
      if (known !== undefined) {
        request.caller = known;
        return done();
      }
      authenticator.authenticate(token).then((userId) => {
        request.caller = userId;
        done();
      }, done);
    },
    userOf(request) {
      if (request.caller === null) throw new NotAuthenticated();
      return request.caller;
    },
  };
}

/** Where a client gets a token: the accounts context's login route (OAuth2 password flow). */
export const LOGIN_ROUTE = '/api/users/login';

/**
 * The OpenAPI security requirement of a route that needs a bearer token: either scheme
 * sends the same header; `oauth2` lets a tool (Swagger UI's Authorize) log in by itself.
 */
export const BEARER_SECURITY: { [scheme: string]: string[] }[] = [
  { oauth2: [] },
  { bearerAuth: [] },
];
