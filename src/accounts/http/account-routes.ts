import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Serialized } from '../../building-blocks/application/json.ts';
import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import {
  BEARER_SECURITY,
  type BearerAuthentication,
} from '../../building-blocks/http/bearer-authentication.ts';
import { sendSerialized } from '../../building-blocks/http/json-reply.ts';
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { Caller } from '../../shared-kernel/application/authenticator.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { ChangeEmailAddress } from '../application/commands/change-email-address.ts';
import { RegisterUser } from '../application/commands/register-user.ts';
import type { LoginThrottle } from '../application/login-throttle.ts';
import type { CurrentUser } from '../application/queries/get-current-user.ts';
import type { SessionList } from '../application/queries/list-sessions.ts';
import {
  ChangeEmailRequest,
  CurrentUserResponse,
  RegistrationRequest,
  UserResponse,
} from './schemas.ts';
import { sessionRoutes } from './session-routes.ts';
import { tokenRoutes } from './token-routes.ts';

export interface AccountRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication<Caller>;
  currentUser: (userId: UserId) => Promise<Serialized<CurrentUser>>;
  sessionsOf: (caller: Caller) => Promise<SessionList>;
  rateLimitPerMinute: number;
  loginThrottle: LoginThrottle;
  sessionLifetimeSeconds: number;
}

const tags = ['accounts'];

/** Each route turns HTTP into a command or a query; none touches the domain or the database. */
export function accountRoutes({
  bus,
  auth,
  currentUser,
  sessionsOf,
  rateLimitPerMinute,
  loginThrottle,
  sessionLifetimeSeconds,
}: AccountRoutesDeps): FastifyPluginAsyncZod {
  const rateLimit = { max: rateLimitPerMinute, timeWindow: '1 minute' };

  return async (app) => {
    await app.register(
      tokenRoutes({ bus, auth, rateLimitPerMinute, sessionLifetimeSeconds, loginThrottle }),
    );
    await app.register(sessionRoutes({ bus, auth, sessionsOf }));

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
      async (request, reply) =>
        sendSerialized(reply, await currentUser(auth.userOf(request).userId)),
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
        const { userId } = auth.userOf(request);
        await bus.execute(ChangeEmailAddress, { userId, email: request.body.email });
        return sendSerialized(reply, await currentUser(userId));
      },
    );
  };
}
