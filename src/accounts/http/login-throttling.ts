import type { FastifyRequest } from 'fastify';
import type { HttpServer } from '../../building-blocks/http/http-server.ts';
import type { LoginThrottle } from '../application/login-throttle.ts';
import { TooManyLoginAttempts } from '../domain/errors.ts';

/**
 * A body of the login route that is a refresh grant, not a password login: it says so (a
 * password beside it is not read). Neither throttle counts it.
 */
export function isRefreshGrant(body: unknown): boolean {
  return (body as { grant_type?: unknown } | undefined)?.grant_type === 'refresh_token';
}

/** The email a password login names, in either of the two body forms; none for other grants. */
function emailOf(request: FastifyRequest): string | undefined {
  const body = request.body as { email?: unknown; username?: unknown; password?: unknown };
  if (typeof body?.password !== 'string' || isRefreshGrant(body)) return undefined;
  const email = body.email ?? body.username;
  return typeof email === 'string' ? email : undefined;
}

/**
 * Hooks the per-account throttle onto the login route of `scope`: an attempt on a locked
 * account is answered 429 with `Retry-After` before its password is hashed (so it costs the
 * service almost nothing), and a successful login clears the account's count before the token
 * leaves. The per-address limit (@fastify/rate-limit, password grants only) runs before this.
 */
export function throttleLogins(scope: HttpServer, throttle: LoginThrottle): void {
  const admitted = new WeakMap<FastifyRequest, string>();

  scope.addHook('preHandler', async (request: FastifyRequest) => {
    const email = emailOf(request);
    if (email === undefined) return;
    const admission = await throttle.admit(email);
    if (!admission.admitted) throw new TooManyLoginAttempts(admission.retryAfterSeconds);
    admitted.set(request, email);
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    const email = admitted.get(request);
    if (email === undefined || reply.statusCode !== 200) return payload;
    try {
      await throttle.succeeded(email);
    } catch (error) {
      // The session exists and its tokens are on their way: they are not withheld because the
      // count could not be cleared (Redis down, say). It is forgotten on its own in time.
      request.log.warn(
        { cause: (error as Error).message },
        'could not clear the login count of an account after a successful login',
      );
    }
    return payload;
  });
}
