import type { SwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { globalRegistry, type ZodObject } from 'zod';
import { LOGIN_ROUTE } from './bearer-authentication.ts';
import type { Json } from './openapi-json.ts';
import { describeResponses } from './openapi-responses.ts';
import { pruneSchemas } from './openapi-schemas.ts';

type Transform = Extract<SwaggerOptions, { transform?: unknown }>['transform'] & {};
type TransformObject = Extract<
  SwaggerOptions,
  { transformObject?: unknown }
>['transformObject'] & {};

/**
 * How the OpenAPI document is made: from each route's Zod schemas (fastify-type-provider-zod),
 * then finished by rules that hold for every operation (problem media type, headers,
 * descriptions, unused schemas). A route added anywhere is documented the same way; no route
 * carries a hand-written OpenAPI fragment.
 */
export function openApiOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Taskflow API',
        description:
          'Users, projects and tasks. Every error is an RFC 9457 problem document (application/problem+json); its `type` leads to /problems, which lists every problem type.',
        version,
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/', description: 'This service' }],
      tags: [
        { name: 'accounts', description: 'Registration, login and the current user.' },
        { name: 'projects', description: 'A user’s projects.' },
        { name: 'tasks', description: 'The tasks of a project.' },
        { name: 'health', description: 'Liveness and readiness.' },
        {
          name: 'metrics',
          description: 'Prometheus metrics (on the API port unless METRICS_PORT is set).',
        },
      ],
      components: {
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            description: 'Log in with your email address as the username.',
            flows: { password: { tokenUrl: LOGIN_ROUTE, scopes: {} } },
          },
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
    transform: transformRoute,
    transformObject: (document) => finish(jsonSchemaTransformObject(document) as Json),
  };
}

/**
 * A path or query parameter arrives as text and is turned into what it stands for (a number),
 * and Zod leaves a transforming schema's `default` and `examples` out of its input side, where
 * they would be of the wrong type. The parameter is documented as the type it stands for
 * (`type: integer`): its `default` and `examples` are put back from its metadata.
 */
function keepParameterExamples(zodSchema: Json | undefined, transformed: Json): void {
  for (const part of ['params', 'querystring']) {
    const shape = (zodSchema?.[part] as ZodObject | undefined)?.shape;
    const properties = transformed.schema?.[part]?.properties as Json | undefined;
    if (!shape || !properties) continue;
    for (const [name, field] of Object.entries(shape)) {
      const meta = globalRegistry.get(field);
      for (const key of ['default', 'examples'] as const) {
        if (meta?.[key] !== undefined && properties[name]) properties[name][key] = meta[key];
      }
    }
  }
}

/** A route's schemas as JSON Schema: bodies per media type, parameters with their examples. */
const transformRoute: Transform = (document) => {
  const transformed = transformBodies(document);
  keepParameterExamples(document.schema as Json | undefined, transformed as Json);
  return transformed;
};

/**
 * A body whose schema is `{content: {mediaType: {schema: zod}}}` (Fastify validates each
 * media type with its own schema) is documented as one request body per media type.
 */
const transformBodies: Transform = (document) => {
  const body = (document.schema as Json | undefined)?.body as Json | undefined;
  if (!body?.content) return jsonSchemaTransform(document as never);
  const content: Json = {};
  for (const [mediaType, { schema }] of Object.entries(body.content as Json)) {
    const one = jsonSchemaTransform({
      ...document,
      schema: { ...document.schema, body: schema },
    } as never) as { schema: Json };
    content[mediaType] = { schema: one.schema.body };
  }
  const rest = jsonSchemaTransform({
    ...document,
    schema: { ...document.schema, body: undefined },
  } as never) as { schema: Json; url: string };
  return { ...rest, schema: { ...rest.schema, body: { content } } };
};

/**
 * Response headers that follow from what an operation takes: a GET that honours
 * `If-None-Match` answers an `ETag` (with its 200 and its 304); a list that takes a `cursor` links its next page; a POST
 * that takes an `Idempotency-Key` marks a replayed answer. Derived here, so a route that takes
 * one documents the other without saying so twice.
 */
function addImpliedHeaders(operation: Json): void {
  const takes = (where: string, name: string) =>
    (operation.parameters ?? []).some(
      (p: Json) => p.in === where && String(p.name).toLowerCase() === name,
    );
  const add = (status: string, header: string) => {
    const response = operation.responses[status];
    if (response) {
      response.headers = {
        ...response.headers,
        [header]: { $ref: `#/components/headers/${header}` },
      };
    }
  };
  if (takes('header', 'if-none-match')) {
    add('200', 'ETag');
    add('304', 'ETag'); // RFC 9110 §15.4.5: a 304 carries the ETag the 200 would have
  }
  if (takes('query', 'cursor')) add('200', 'Link');
  if (takes('header', 'idempotency-key')) add('201', 'Idempotent-Replayed');
  // A successful answer to a request with credentials (a bearer token, or the token route's
  // password or refresh token) is not for caches.
  const credentials =
    (operation.security ?? []).length > 0 || TOKEN_OPERATIONS.has(operation.operationId);
  if (credentials) {
    for (const status of Object.keys(operation.responses)) {
      if (/^2|^304$/.test(status)) add(status, 'Cache-Control');
    }
  }
  for (const status of COOKIE_ANSWERS[operation.operationId] ?? []) add(status, 'Set-Cookie');
}

/** The operations that take credentials in their body, not as a bearer token. */
const TOKEN_OPERATIONS = new Set(['logIn']);

/**
 * The answers that may set or clear the refresh-token cookie (docs/api.md): a login or
 * refresh with the cookie transport, a refused refresh whose cookie names no live session,
 * a logout.
 */
const COOKIE_ANSWERS: Record<string, string[]> = { logIn: ['200', '401'], logOut: ['204'] };

function finish(document: Json): TransformObject extends (...args: never) => infer R ? R : never {
  for (const path of Object.values(document.paths ?? {}) as Json[]) {
    for (const operation of Object.values(path) as Json[]) {
      operation.responses = describeResponses(operation.responses ?? {});
      addImpliedHeaders(operation);
      // A route that requires no token says so, rather than leaving tools to guess.
      operation.security ??= [];
    }
  }
  document.components.headers = describeResponses.headers;
  return pruneSchemas(document) as never;
}
