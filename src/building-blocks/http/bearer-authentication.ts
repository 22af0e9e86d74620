import type { FastifyRequest } from 'fastify';
import {
  type Authenticator,
  NotAuthenticated,
} from '../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';

/** What a route needs to require a bearer token and learn who sent it. */
export interface BearerAuthentication {
  /** A Fastify `onRequest` hook: rejects the request with 401 unless its token is valid. It runs
   * before the body is read, so an anonymous caller learns nothing from validation errors. */
  onRequest(request: FastifyRequest): Promise<void>;
  /** The authenticated caller of a request that passed `onRequest`. */
  userOf(request: FastifyRequest): UserId;
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function bearerAuthentication(authenticator: Authenticator): BearerAuthentication {
  const callers = new WeakMap<FastifyRequest, UserId>();
  return {
    async onRequest(request) {
      const header = request.headers.authorization;
      if (!header) throw new NotAuthenticated('This route needs an Authorization: Bearer token.');
      const token = BEARER.exec(header)?.[1];
      if (!token) throw new NotAuthenticated('The Authorization header must be "Bearer <token>".');
      callers.set(request, await authenticator.authenticate(token));
    },
    userOf(request) {
      const userId = callers.get(request);
      if (!userId) throw new NotAuthenticated();
      return userId;
    },
  };
}

/** The OpenAPI security requirement of a route that needs a bearer token. */
export const BEARER_SECURITY = [{ bearerAuth: [] }];
