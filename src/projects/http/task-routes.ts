import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Serialized } from '../../building-blocks/application/json.ts';
import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import {
  BEARER_SECURITY,
  type BearerAuthentication,
} from '../../building-blocks/http/bearer-authentication.ts';
import {
  CacheValidationHeaders,
  ConditionalHeaders,
  ifMatchTags,
  noneMatchHolds,
  notModified,
  quoted,
} from '../../building-blocks/http/entity-tags.ts';
import {
  created,
  type Idempotency,
  IdempotencyHeaders,
  sendIdempotent,
} from '../../building-blocks/http/idempotency.ts';
import { sendSerialized } from '../../building-blocks/http/json-reply.ts';
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { CompleteTask } from '../application/commands/complete-task.ts';
import { CreateTask } from '../application/commands/create-task.ts';
import { IncompleteTask } from '../application/commands/incomplete-task.ts';
import { taskTag } from '../application/entity-tags.ts';
import { getTask } from '../application/queries/get-task.ts';
import { listTasks } from '../application/queries/list-tasks.ts';
import type { ProjectReadModel } from '../application/queries/project-read-model.ts';
import { decodeCursor } from './cursor.ts';
import { nextPage } from './paging.ts';
import {
  CreateTaskRequest,
  ListTasksQuery,
  ProjectParams,
  TaskPageResponse,
  TaskParams,
  TaskResponse,
} from './schemas.ts';

export interface TaskRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication<UserId>;
  readModel: ProjectReadModel;
  idempotency: Idempotency;
}

const tags = ['tasks'];
const security = BEARER_SECURITY;

export function taskRoutes({
  bus,
  auth,
  readModel,
  idempotency,
}: TaskRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', auth.onRequest);

    app.post(
      '/projects/:projectId/tasks',
      {
        schema: {
          tags,
          security,
          operationId: 'createTask',
          summary: 'Add a task to a project',
          params: ProjectParams,
          headers: IdempotencyHeaders,
          body: CreateTaskRequest,
          response: {
            201: TaskResponse,
            ...problemResponses(400, 401, 404, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const { projectId } = request.params;
        const actor = auth.userOf(request);
        return sendIdempotent(
          idempotency,
          request,
          reply,
          actor,
          (claim) =>
            bus.execute(CreateTask, {
              actor,
              projectId,
              name: request.body.name,
              ...(claim && { idempotency: claim }),
            }),
          (task) => created(`/api/projects/${projectId}/tasks/${task.number}`, task),
        );
      },
    );

    app.get(
      '/projects/:projectId/tasks',
      {
        schema: {
          tags,
          security,
          operationId: 'listTasks',
          summary: 'The project’s tasks, by number, a page at a time',
          params: ProjectParams,
          querystring: ListTasksQuery,
          response: { 200: TaskPageResponse, ...problemResponses(401, 404, 422) },
        },
      },
      async (request, reply) => {
        const { projectId } = request.params;
        const { limit, cursor, status } = request.query;
        // A cursor belongs to one list: this project's tasks, with this filter.
        const scope = `tasks:${projectId}:${status ?? 'all'}`;
        const page = await listTasks(
          {
            actor: auth.userOf(request),
            projectId,
            limit,
            ...(status !== undefined && { status }),
            ...(cursor !== undefined && { after: decodeCursor(cursor, scope) }),
          },
          { readModel },
        );
        const nextCursor = nextPage(request, reply, page, scope);
        return sendSerialized(
          reply,
          Serialized.object({ tasks: page.items, nextCursor: Serialized.of(nextCursor) }),
        );
      },
    );

    app.get(
      '/projects/:projectId/tasks/:taskNumber',
      {
        schema: {
          tags,
          security,
          operationId: 'getTask',
          summary: 'One task',
          params: TaskParams,
          headers: CacheValidationHeaders,
          response: {
            200: TaskResponse,
            304: z.null().describe('Not modified: the copy named by If-None-Match is current'),
            ...problemResponses(401, 404, 422),
          },
        },
      },
      async (request, reply) => {
        const task = await getTask(
          { actor: auth.userOf(request), ...request.params },
          { readModel },
        );
        const etag = taskTag(task);
        reply.header('etag', quoted(etag));
        if (noneMatchHolds(request.headers['if-none-match'], etag)) {
          return notModified(reply);
        }
        return task;
      },
    );

    app.put(
      '/projects/:projectId/tasks/:taskNumber/complete',
      {
        schema: {
          tags,
          security,
          operationId: 'completeTask',
          summary: 'Complete a task (completing it again keeps the first time)',
          params: TaskParams,
          headers: ConditionalHeaders,
          response: { 200: TaskResponse, ...problemResponses(401, 404, 409, 412, 422) },
        },
      },
      async (request) =>
        bus.execute(CompleteTask, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          taskNumber: request.params.taskNumber,
          ifMatch: ifMatchTags(request.headers['if-match']),
        }),
    );

    app.put(
      '/projects/:projectId/tasks/:taskNumber/incomplete',
      {
        schema: {
          tags,
          security,
          operationId: 'incompleteTask',
          summary: 'Reopen a task',
          params: TaskParams,
          headers: ConditionalHeaders,
          response: { 200: TaskResponse, ...problemResponses(401, 404, 409, 412, 422) },
        },
      },
      async (request) =>
        bus.execute(IncompleteTask, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          taskNumber: request.params.taskNumber,
          ifMatch: ifMatchTags(request.headers['if-match']),
        }),
    );
  };
}
