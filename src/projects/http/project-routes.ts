import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MessageBus } from '../../building-blocks/application/message-bus.ts';
import {
  BEARER_SECURITY,
  type BearerAuthentication,
} from '../../building-blocks/http/bearer-authentication.ts';
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { ArchiveProject } from '../application/commands/archive-project.ts';
import { CreateProject } from '../application/commands/create-project.ts';
import { DeleteProject } from '../application/commands/delete-project.ts';
import { UnarchiveProject } from '../application/commands/unarchive-project.ts';
import { UpdateProject } from '../application/commands/update-project.ts';
import { getProject } from '../application/queries/get-project.ts';
import { listProjects } from '../application/queries/list-projects.ts';
import type { ProjectReadModel } from '../application/queries/project-read-model.ts';
import {
  CreateProjectRequest,
  ProjectListResponse,
  ProjectParams,
  ProjectResponse,
  UpdateProjectRequest,
} from './schemas.ts';

export interface ProjectRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication<UserId>;
  readModel: ProjectReadModel;
}

const tags = ['projects'];
const security = BEARER_SECURITY;

export function projectRoutes({ bus, auth, readModel }: ProjectRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', auth.onRequest);

    app.post(
      '/projects',
      {
        schema: {
          tags,
          security,
          summary: 'Create a project',
          body: CreateProjectRequest,
          response: { 201: ProjectResponse, ...problemResponses(400, 401, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const project = await bus.execute(CreateProject, {
          actor: auth.userOf(request),
          ...request.body,
        });
        return reply.status(201).header('location', `/api/projects/${project.id}`).send(project);
      },
    );

    app.get(
      '/projects',
      {
        schema: {
          tags,
          security,
          summary: 'The caller’s projects, oldest first',
          response: { 200: ProjectListResponse, ...problemResponses(401) },
        },
      },
      async (request) => ({
        projects: await listProjects({ actor: auth.userOf(request) }, { readModel }),
      }),
    );

    app.get(
      '/projects/:projectId',
      {
        schema: {
          tags,
          security,
          summary: 'One project',
          params: ProjectParams,
          response: { 200: ProjectResponse, ...problemResponses(401, 404, 422) },
        },
      },
      async (request) =>
        getProject(
          { actor: auth.userOf(request), projectId: request.params.projectId },
          { readModel },
        ),
    );

    app.put(
      '/projects/:projectId',
      {
        schema: {
          tags,
          security,
          summary: 'Rename a project or change its limit of incomplete tasks',
          params: ProjectParams,
          body: UpdateProjectRequest,
          response: {
            200: ProjectResponse,
            ...problemResponses(400, 401, 404, 409, 413, 415, 422),
          },
        },
      },
      async (request) =>
        bus.execute(UpdateProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          ...request.body,
        }),
    );

    app.put(
      '/projects/:projectId/archive',
      {
        schema: {
          tags,
          security,
          summary: 'Archive a project (all its tasks must be complete)',
          params: ProjectParams,
          response: { 200: ProjectResponse, ...problemResponses(401, 404, 409, 422) },
        },
      },
      async (request) =>
        bus.execute(ArchiveProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
        }),
    );

    app.put(
      '/projects/:projectId/unarchive',
      {
        schema: {
          tags,
          security,
          summary: 'Unarchive a project',
          params: ProjectParams,
          response: { 200: ProjectResponse, ...problemResponses(401, 404, 422) },
        },
      },
      async (request) =>
        bus.execute(UnarchiveProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
        }),
    );

    app.delete(
      '/projects/:projectId',
      {
        schema: {
          tags,
          security,
          summary: 'Delete an archived project, for good',
          params: ProjectParams,
          response: {
            204: z.null().describe('Deleted'),
            ...problemResponses(401, 404, 409, 422),
          },
        },
      },
      async (request, reply) => {
        await bus.execute(DeleteProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
        });
        return reply.status(204).send(null);
      },
    );
  };
}
