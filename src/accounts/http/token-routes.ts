import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import {
  BEARER_SECURITY,
  type BearerAuthentication,
} from '../../building-blocks/http/bearer-authentication.ts';
import { acceptFormBodies } from '../../building-blocks/http/http-server.ts';
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { Caller } from '../../shared-kernel/application/authenticator.ts';
import { LogIn } from '../application/commands/log-in.ts';
import { LogOut } from '../application/commands/log-out.ts';
import { RefreshSession } from '../application/commands/refresh-session.ts';
import type { LoginThrottle } from '../application/login-throttle.ts';
import type { TokenPair } from '../application/ports.ts';
import { InvalidRefreshToken } from '../domain/errors.ts';
import { isRefreshGrant, throttleLogins } from './login-throttling.ts';
import {
  clearRefreshCookie,
  refreshTokenFromCookie,
  setRefreshCookie,
  wantsCookie,
} from './refresh-cookie.ts';
import { FormLoginRequest, JsonLoginRequest, LoginHeaders, TokenResponse } from './schemas.ts';

export interface TokenRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication<Caller>;
  rateLimitPerMinute: number;
  /** The cookie's lifetime: the session's. */
  sessionLifetimeSeconds: number;
  loginThrottle: LoginThrottle;
}

const tags = ['accounts'];
const USER_AGENT_MAX_LENGTH = 512;

/** The OAuth2 token route (password and refresh grants) and logging out. */
export function tokenRoutes({
  bus,
  auth,
  rateLimitPerMinute,
  sessionLifetimeSeconds,
  loginThrottle,
}: TokenRoutesDeps): FastifyPluginAsyncZod {
  // The per-address limit is for password guessing. A refresh grant guesses nothing (its
  // token is 256 random bits), and counting it let any client sharing an address (an office,
  // a proxy) use up the others' refreshes: they were signed out. Checked once the body is
  // parsed, to tell the grants apart, and before it is validated or the account throttled.
  const rateLimit = {
    max: rateLimitPerMinute,
    timeWindow: '1 minute',
    hook: 'preValidation' as const,
    allowList: (request: { body?: unknown }) => isRefreshGrant(request.body),
  };

  return async (scope) => {
    await scope.register(fastifyCookie);
    const app = scope.withTypeProvider<ZodTypeProvider>();
    // The token route alone also takes the OAuth2 form body.
    acceptFormBodies(app);
    throttleLogins(app, loginThrottle);

    app.post(
      '/users/login',
      {
        config: { rateLimit },
        schema: {
          tags,
          operationId: 'logIn',
          summary: 'Log in or refresh (OAuth2 password and refresh_token grants)',
          description:
            'The password grant starts a session; the refresh grant turns a refresh token into a new access token and a new refresh token (the presented one is used up; presenting it again revokes the session).',
          headers: LoginHeaders,
          body: {
            content: {
              'application/x-www-form-urlencoded': { schema: FormLoginRequest },
              'application/json': { schema: JsonLoginRequest },
            },
          },
          response: { 200: TokenResponse, ...problemResponses(400, 401, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => {
        // Fastify validated the body with the schema of its media type.
        const body = request.body as Partial<{
          grant_type: 'password' | 'refresh_token';
          email: string;
          username: string;
          password: string;
          refresh_token: string;
        }>;
        const cookie = wantsCookie(request);
        let pair: TokenPair;
        if (body.grant_type === 'refresh_token') {
          // The body's token when it has one (an empty one is none), else the cookie's.
          const fromCookie = !body.refresh_token && cookie;
          const refreshToken =
            (fromCookie ? refreshTokenFromCookie(request) : body.refresh_token) ?? '';
          try {
            pair = await bus.execute(RefreshSession, { refreshToken });
          } catch (error) {
            if (error instanceof InvalidRefreshToken && error.revokedSession) {
              // A security event, for an operator to see and alert on: on the request's
              // logger, so it carries the request's id (and its trace's), like the request's
              // other lines. The token itself is never logged.
              const event = 'refresh-token-reused: session revoked';
              request.log.warn({ securityEvent: event, ...error.revokedSession }, event);
            }
            // A cookie that names no live session is of no more use: the browser drops it. (A
            // bad token in the body says nothing of the cookie's.)
            if (fromCookie && error instanceof InvalidRefreshToken) {
              clearRefreshCookie(request, reply);
            }
            throw error;
          }
        } else {
          pair = await bus.execute(LogIn, {
            email: body.email ?? body.username ?? '',
            password: body.password ?? '',
            clientAddress: request.ip,
            userAgent: (request.headers['user-agent'] ?? '').slice(0, USER_AGENT_MAX_LENGTH),
          });
        }
        reply.header('cache-control', 'no-store');
        if (cookie) setRefreshCookie(request, reply, pair.refreshToken, sessionLifetimeSeconds);
        return {
          access_token: pair.accessToken,
          token_type: 'bearer' as const,
          expires_in: pair.expiresInSeconds,
          ...(!cookie && { refresh_token: pair.refreshToken }),
        };
      },
    );

    app.post(
      '/users/logout',
      {
        onRequest: auth.onRequest,
        schema: {
          tags,
          operationId: 'logOut',
          summary: 'Log out: end the session of this token',
          description:
            'Its access and refresh tokens stop working at once; the refresh cookie is cleared.',
          security: BEARER_SECURITY,
          response: { 204: z.null().describe('Logged out'), ...problemResponses(401) },
        },
      },
      async (request, reply) => {
        const { userId, sessionId } = auth.userOf(request);
        await bus.execute(LogOut, { userId, sessionId });
        clearRefreshCookie(request, reply);
        return reply.status(204).send(null);
      },
    );
  };
}
