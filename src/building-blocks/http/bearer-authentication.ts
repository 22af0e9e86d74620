import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import { NotAuthenticated } from '../application/not-authenticated.ts';

/** Turns a bearer token into the caller it proves, or throws `NotAuthenticated`. */
export interface BearerAuthenticator<Caller> {
  authenticate(token: string): Promise<Caller>;
}

/** What a route needs to require a bearer token and learn who sent it. */
export interface BearerAuthentication<Caller> {
  /** A Fastify `onRequest` hook: rejects the request with 401 unless its token is valid. It runs
   * before the body is read, so an anonymous caller learns nothing from validation errors. */
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  /** The authenticated caller of a request that passed `onRequest`. */
  userOf(request: FastifyRequest): Caller;
  /** The same hook, answering `userOf` with a part of the caller (a context needing less). */
  map<Part>(part: (caller: Caller) => Part): BearerAuthentication<Part>;
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer `onRequest` hook; read it through `BearerAuthentication.userOf`. */
    caller: unknown;
  }
}

/**
 * Generic over the caller: the building blocks know there is a token and someone behind it,
 * not who that someone is (the composition root plugs in the accounts' authenticator).
 */
export function bearerAuthentication<Caller>(
  http: FastifyInstance,
  authenticator: BearerAuthenticator<Caller>,
): BearerAuthentication<Caller> {
  http.decorateRequest('caller', null);
  const callerOf = (request: FastifyRequest): Caller => {
    if (request.caller === null) throw new NotAuthenticated();
    return request.caller as Caller;
  };
  const onRequest: BearerAuthentication<Caller>['onRequest'] = (request, _reply, done) => {
    const header = request.headers.authorization;
    if (!header) {
      return done(new NotAuthenticated('This route needs an Authorization: Bearer token.'));
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      return done(new NotAuthenticated('The Authorization header must be "Bearer <token>".'));
    }
    authenticator.authenticate(token).then((caller) => {
      request.caller = caller;
      done();
    }, done);
  };
  const mapped = <Part>(part: (caller: Caller) => Part): BearerAuthentication<Part> => ({
    onRequest,
    userOf: (request) => part(callerOf(request)),
    map: (next) => mapped((caller) => next(part(caller))),
  });
  return mapped((caller) => caller);
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
