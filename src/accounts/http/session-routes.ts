import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import {
  BEARER_SECURITY,
  type BearerAuthentication,
} from '../../building-blocks/http/bearer-authentication.ts';
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { Caller } from '../../shared-kernel/application/authenticator.ts';
import { ChangePassword } from '../application/commands/change-password.ts';
import { DeleteAccount } from '../application/commands/delete-account.ts';
import { RevokeSession } from '../application/commands/revoke-session.ts';
import type { SessionList } from '../application/queries/list-sessions.ts';
import {
  ChangePasswordRequest,
  DeleteAccountRequest,
  SessionListResponse,
  SessionParams,
} from './schemas.ts';

export interface SessionRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication<Caller>;
  sessionsOf: (caller: Caller) => Promise<SessionList>;
}

const tags = ['accounts'];

/** What a person controls about their sessions and their account. */
export function sessionRoutes({ bus, auth, sessionsOf }: SessionRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/users/me/sessions',
      {
        onRequest: auth.onRequest,
        schema: {
          tags,
          operationId: 'listSessions',
          summary: 'My active sessions',
          security: BEARER_SECURITY,
          response: { 200: SessionListResponse, ...problemResponses(401) },
        },
      },
      async (request) => sessionsOf(auth.userOf(request)),
    );

    app.delete(
      '/users/me/sessions/:sessionId',
      {
        onRequest: auth.onRequest,
        schema: {
          tags,
          operationId: 'revokeSession',
          summary: 'End one of my sessions',
          description: 'Its access and refresh tokens stop working at once.',
          security: BEARER_SECURITY,
          params: SessionParams,
          response: { 204: z.null().describe('Ended'), ...problemResponses(401, 404, 422) },
        },
      },
      async (request, reply) => {
        const { userId } = auth.userOf(request);
        await bus.execute(RevokeSession, { userId, sessionId: request.params.sessionId });
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/users/me/password',
      {
        onRequest: auth.onRequest,
        schema: {
          tags,
          operationId: 'changePassword',
          summary: 'Change my password',
          description:
            'Needs the current password; each try counts as a login attempt on the account (429 with Retry-After when it is locked). Every other session ends at once; this one goes on.',
          security: BEARER_SECURITY,
          body: ChangePasswordRequest,
          response: {
            204: z.null().describe('Changed'),
            ...problemResponses(400, 401, 403, 413, 415, 422, 429),
          },
        },
      },
      async (request, reply) => {
        const { userId, sessionId } = auth.userOf(request);
        const { currentPassword, newPassword } = request.body;
        await bus.execute(ChangePassword, { userId, sessionId, currentPassword, newPassword });
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/users/me',
      {
        onRequest: auth.onRequest,
        schema: {
          tags,
          operationId: 'deleteAccount',
          summary: 'Delete my account',
          description:
            'Needs the password; each try counts as a login attempt on the account (429 with Retry-After when it is locked). Deletes the account, every session (all tokens stop working at once) and, through the UserAccountDeleted event, every project and task of the account.',
          security: BEARER_SECURITY,
          body: DeleteAccountRequest,
          response: {
            204: z.null().describe('Deleted'),
            ...problemResponses(400, 401, 403, 413, 415, 422, 429),
          },
        },
      },
      async (request, reply) => {
        const { userId } = auth.userOf(request);
        await bus.execute(DeleteAccount, { userId, password: request.body.password });
        return reply.status(204).send(null);
      },
    );
  };
}
