import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Serialized } from '../../building-blocks/application/json.ts';
import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import {
  BEARER_SECURITY,
  type BearerAuthentication,
} from '../../building-blocks/http/bearer-authentication.ts';
import { sendSerialized } from '../../building-blocks/http/json-reply.ts';
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { CompleteTask } from '../application/commands/complete-task.ts';
import { CreateTask } from '../application/commands/create-task.ts';
import { IncompleteTask } from '../application/commands/incomplete-task.ts';
import { getTask } from '../application/queries/get-task.ts';
import { listTasks } from '../application/queries/list-tasks.ts';
import type { ProjectReadModel } from '../application/queries/project-read-model.ts';
import {
  CreateTaskRequest,
  ProjectParams,
  TaskListResponse,
  TaskParams,
  TaskResponse,
} from './schemas.ts';

export interface TaskRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication<UserId>;
  readModel: ProjectReadModel;
}

const tags = ['tasks'];
const security = BEARER_SECURITY;

export function taskRoutes({ bus, auth, readModel }: TaskRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', auth.onRequest);

    app.post(
      '/projects/:projectId/tasks',
      {
        schema: {
          tags,
          security,
          summary: 'Add a task to a project',
          params: ProjectParams,
          body: CreateTaskRequest,
          response: {
            201: TaskResponse,
            ...problemResponses(400, 401, 404, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const { projectId } = request.params;
        const task = await bus.execute(CreateTask, {
          actor: auth.userOf(request),
          projectId,
          name: request.body.name,
        });
        return reply
          .status(201)
          .header('location', `/api/projects/${projectId}/tasks/${task.number}`)
          .send(task);
      },
    );

    app.get(
      '/projects/:projectId/tasks',
      {
        schema: {
          tags,
          security,
          summary: 'The project’s tasks, by number',
          params: ProjectParams,
          response: { 200: TaskListResponse, ...problemResponses(401, 404, 422) },
        },
      },
      async (request, reply) => {
        const tasks = await listTasks(
          { actor: auth.userOf(request), projectId: request.params.projectId },
          { readModel },
        );
        return sendSerialized(reply, Serialized.object({ tasks }));
      },
    );

    app.get(
      '/projects/:projectId/tasks/:taskNumber',
      {
        schema: {
          tags,
          security,
          summary: 'One task',
          params: TaskParams,
          response: { 200: TaskResponse, ...problemResponses(401, 404, 422) },
        },
      },
      async (request) => getTask({ actor: auth.userOf(request), ...request.params }, { readModel }),
    );

    app.put(
      '/projects/:projectId/tasks/:taskNumber/complete',
      {
        schema: {
          tags,
          security,
          summary: 'Complete a task (completing it again keeps the first time)',
          params: TaskParams,
          response: { 200: TaskResponse, ...problemResponses(401, 404, 409, 422) },
        },
      },
      async (request) =>
        bus.execute(CompleteTask, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          taskNumber: request.params.taskNumber,
        }),
    );

    app.put(
      '/projects/:projectId/tasks/:taskNumber/incomplete',
      {
        schema: {
          tags,
          security,
          summary: 'Reopen a task',
          params: TaskParams,
          response: { 200: TaskResponse, ...problemResponses(401, 404, 409, 422) },
        },
      },
      async (request) =>
        bus.execute(IncompleteTask, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          taskNumber: request.params.taskNumber,
        }),
    );
  };
}
