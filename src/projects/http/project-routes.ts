import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
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
import { problemResponses } from '../../building-blocks/http/problem-details.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { ArchiveProject } from '../application/commands/archive-project.ts';
import { CreateProject } from '../application/commands/create-project.ts';
import { DeleteProject } from '../application/commands/delete-project.ts';
import { UnarchiveProject } from '../application/commands/unarchive-project.ts';
import { UpdateProject } from '../application/commands/update-project.ts';
import { projectTag } from '../application/entity-tags.ts';
import { getProject } from '../application/queries/get-project.ts';
import { listProjects } from '../application/queries/list-projects.ts';
import type { ProjectReadModel } from '../application/queries/project-read-model.ts';
import { decodeCursor } from './cursor.ts';
import { nextPage } from './paging.ts';
import {
  CreateProjectRequest,
  ListProjectsQuery,
  ProjectPageResponse,
  ProjectParams,
  ProjectResponse,
  UpdateProjectRequest,
} from './schemas.ts';

export interface ProjectRoutesDeps {
  bus: MessageBus;
  auth: BearerAuthentication<UserId>;
  readModel: ProjectReadModel;
  idempotency: Idempotency;
}

const tags = ['projects'];
const security = BEARER_SECURITY;

export function projectRoutes({
  bus,
  auth,
  readModel,
  idempotency,
}: ProjectRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', auth.onRequest);

    app.post(
      '/projects',
      {
        schema: {
          tags,
          security,
          operationId: 'createProject',
          summary: 'Create a project',
          headers: IdempotencyHeaders,
          body: CreateProjectRequest,
          response: { 201: ProjectResponse, ...problemResponses(400, 401, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const actor = auth.userOf(request);
        return sendIdempotent(
          idempotency,
          request,
          reply,
          actor,
          (claim) =>
            bus.execute(CreateProject, {
              actor,
              ...request.body,
              ...(claim && { idempotency: claim }),
            }),
          (project) => created(`/api/projects/${project.id}`, project),
        );
      },
    );

    app.get(
      '/projects',
      {
        schema: {
          tags,
          security,
          operationId: 'listProjects',
          summary: 'The caller’s projects, oldest first, a page at a time',
          querystring: ListProjectsQuery,
          response: { 200: ProjectPageResponse, ...problemResponses(401, 422) },
        },
      },
      async (request, reply) => {
        const { limit, cursor } = request.query;
        const page = await listProjects(
          {
            actor: auth.userOf(request),
            limit,
            ...(cursor !== undefined && { after: decodeCursor(cursor, 'projects') }),
          },
          { readModel },
        );
        return { projects: page.items, nextCursor: nextPage(request, reply, page, 'projects') };
      },
    );

    app.get(
      '/projects/:projectId',
      {
        schema: {
          tags,
          security,
          operationId: 'getProject',
          summary: 'One project',
          params: ProjectParams,
          headers: CacheValidationHeaders,
          response: {
            200: ProjectResponse,
            304: z.null().describe('Not modified: the copy named by If-None-Match is current'),
            ...problemResponses(401, 404, 422),
          },
        },
      },
      async (request, reply) => {
        const { view, version } = await getProject(
          { actor: auth.userOf(request), projectId: request.params.projectId },
          { readModel },
        );
        const etag = projectTag(version);
        reply.header('etag', quoted(etag));
        if (noneMatchHolds(request.headers['if-none-match'], etag)) {
          return notModified(reply);
        }
        return view;
      },
    );

    app.put(
      '/projects/:projectId',
      {
        schema: {
          tags,
          security,
          operationId: 'updateProject',
          summary: 'Rename a project or change its limit of incomplete tasks',
          params: ProjectParams,
          headers: ConditionalHeaders,
          body: UpdateProjectRequest,
          response: {
            200: ProjectResponse,
            ...problemResponses(400, 401, 404, 409, 412, 413, 415, 422),
          },
        },
      },
      async (request) =>
        bus.execute(UpdateProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          ifMatch: ifMatchTags(request.headers['if-match']),
          ...request.body,
        }),
    );

    app.put(
      '/projects/:projectId/archive',
      {
        schema: {
          tags,
          security,
          operationId: 'archiveProject',
          summary: 'Archive a project (all its tasks must be complete)',
          params: ProjectParams,
          headers: ConditionalHeaders,
          response: { 200: ProjectResponse, ...problemResponses(401, 404, 409, 412, 422) },
        },
      },
      async (request) =>
        bus.execute(ArchiveProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          ifMatch: ifMatchTags(request.headers['if-match']),
        }),
    );

    app.put(
      '/projects/:projectId/unarchive',
      {
        schema: {
          tags,
          security,
          operationId: 'unarchiveProject',
          summary: 'Unarchive a project',
          params: ProjectParams,
          headers: ConditionalHeaders,
          response: { 200: ProjectResponse, ...problemResponses(401, 404, 412, 422) },
        },
      },
      async (request) =>
        bus.execute(UnarchiveProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          ifMatch: ifMatchTags(request.headers['if-match']),
        }),
    );

    app.delete(
      '/projects/:projectId',
      {
        schema: {
          tags,
          security,
          operationId: 'deleteProject',
          summary: 'Delete an archived project, for good',
          params: ProjectParams,
          headers: ConditionalHeaders,
          response: {
            204: z.null().describe('Deleted'),
            ...problemResponses(401, 404, 409, 412, 422),
          },
        },
      },
      async (request, reply) => {
        await bus.execute(DeleteProject, {
          actor: auth.userOf(request),
          projectId: request.params.projectId,
          ifMatch: ifMatchTags(request.headers['if-match']),
        });
        return reply.status(204).send(null);
      },
    );
  };
}
