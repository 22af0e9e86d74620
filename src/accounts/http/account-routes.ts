import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Serialized } from '../../building-blocks/application/json.ts';
import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import {
  BEARER_SECURITY,
  type BearerAuthentication,
} from '../../building-blocks/http/bearer-authentication.ts';
import { acceptFormBodies } from '../../building-blocks/http/http-server.ts';
import { sendSerialized } from '../../building-blocks/http/json-reply.ts';
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { ChangeEmailAddress } from '../application/commands/change-email-address.ts';
import { LogIn } from '../application/commands/log-in.ts';
import { RegisterUser } from '../application/commands/register-user.ts';
import type { LoginThrottle } from '../application/login-throttle.ts';
import type { CurrentUser } from '../application/queries/get-current-user.ts';
import { throttleLogins } from './login-throttling.ts';
import {
  ChangeEmailRequest,
  CurrentUserResponse,
  FormLoginRequest,
  JsonLoginRequest,
  RegistrationRequest,
  TokenResponse,
  UserResponse,
} from './schemas.ts';

export interface AccountRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication;
  currentUser: (userId: UserId) => Promise<Serialized<CurrentUser>>;
  rateLimitPerMinute: number;
  loginThrottle: LoginThrottle;
}

const tags = ['accounts'];

/** Each route turns HTTP into a command or a query; none touches the domain or the database. */
export function accountRoutes({
  bus,
  auth,
  currentUser,
  rateLimitPerMinute,
  loginThrottle,
}: AccountRoutesDeps): FastifyPluginAsyncZod {
  const rateLimit = { max: rateLimitPerMinute, timeWindow: '1 minute' };

  return async (app) => {
    app.post(
      '/users',
      {
        config: { rateLimit },
        schema: {
          tags,
          operationId: 'registerUser',
          summary: 'Register a user',
          description:
            'Creates an account and, through the UserAccountCreated event, a starter project. Location points at /api/users/me, where the new user reads their account after logging in.',
          body: RegistrationRequest,
          response: { 201: UserResponse, ...problemResponses(400, 409, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => {
        const user = await bus.execute(RegisterUser, request.body);
        return reply.status(201).header('location', '/api/users/me').send(user);
      },
    );

    // The login route alone also takes the OAuth2 form body.
    await app.register(async (scope) => {
      const login = scope.withTypeProvider<ZodTypeProvider>();
      acceptFormBodies(login);
      throttleLogins(login, loginThrottle);
      login.post(
        '/users/login',
        {
          config: { rateLimit },
          schema: {
            tags,
            operationId: 'logIn',
            summary: 'Log in (OAuth2 password flow)',
            description:
              'Takes the OAuth2 password grant as a form (the username is the email address) or the same credentials as JSON; answers a bearer token.',
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
          const body = request.body as Partial<FormLoginRequest & JsonLoginRequest>;
          const email = body.email ?? body.username ?? '';
          const token = await bus.execute(LogIn, { email, password: body.password ?? '' });
          reply.header('cache-control', 'no-store');
          return {
            access_token: token.accessToken,
            token_type: 'bearer' as const,
            expires_in: token.expiresInSeconds,
          };
        },
      );
    });

    app.get(
      '/users/me',
      {
        onRequest: auth.onRequest,
        schema: {
          tags,
          operationId: 'getCurrentUser',
          summary: 'The current user and their projects',
          security: BEARER_SECURITY,
          response: { 200: CurrentUserResponse, ...problemResponses(401) },
        },
      },
      async (request, reply) => sendSerialized(reply, await currentUser(auth.userOf(request))),
    );

    app.put(
      '/users/me',
      {
        onRequest: auth.onRequest,
        schema: {
          tags,
          operationId: 'changeEmailAddress',
          summary: 'Change the current user’s email address',
          security: BEARER_SECURITY,
          body: ChangeEmailRequest,
          response: {
            200: CurrentUserResponse,
            ...problemResponses(400, 401, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const userId = auth.userOf(request);
        await bus.execute(ChangeEmailAddress, { userId, email: request.body.email });
        return sendSerialized(reply, await currentUser(userId));
      },
    );
  };
}
