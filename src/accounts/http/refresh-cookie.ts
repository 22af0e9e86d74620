import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie a browser keeps its refresh token in, sent back only to the token route. */
export const REFRESH_COOKIE = 'refresh_token';
export const TOKEN_ROUTE = '/api/users/login';

/**
 * A client asks for the cookie with this header, on the login and on every refresh. A
 * cross-site form cannot send a custom header, and a cross-site script can only after a
 * CORS preflight the service does not allow: with `SameSite=Strict`, that is the defence
 * against cross-site request forgery of the token route.
 */
export const COOKIE_TRANSPORT_HEADER = 'x-refresh-token-transport';

export function wantsCookie(request: FastifyRequest): boolean {
  return request.headers[COOKIE_TRANSPORT_HEADER] === 'cookie';
}

export function refreshTokenFromCookie(request: FastifyRequest): string | undefined {
  return request.cookies[REFRESH_COOKIE];
}

/** `HttpOnly` (no script reads it), `SameSite=Strict`, only for the token route. */
export function setRefreshCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  refreshToken: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: TOKEN_ROUTE,
    maxAge: maxAgeSeconds,
  });
}

export function clearRefreshCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: TOKEN_ROUTE,
  });
}
