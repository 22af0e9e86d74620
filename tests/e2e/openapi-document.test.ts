import { createConfig, formatProblems, lintFromString, loadConfig } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestApi } from '../support/api.ts';

let api: TestApi;
let document: any;
beforeAll(async () => {
  api = await TestApi.start();
  document = (await api.request('GET', '/openapi.json')).body;
});
afterAll(() => api.close());

const operations = (of = document) =>
  Object.entries(of.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, any>).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

describe('the served OpenAPI document', () => {
  test('passes the OpenAPI linter (redocly.yaml) without an error or a warning', async () => {
    const config = await loadConfig({ configPath: 'redocly.yaml' });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'openapi.json',
      config,
    });
    const report = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`,
    );
    expect(report).toEqual([]);
  });

  test('the linter does find problems: a document without operationIds fails it', async () => {
    const broken = structuredClone(document);
    for (const { operation } of operations(broken)) delete operation.operationId;
    const config = await createConfig({ extends: ['recommended-strict'] });
    const problems = await lintFromString({
      source: JSON.stringify(broken),
      absoluteRef: 'x.json',
      config,
    });
    expect(problems.map((p) => p.ruleId)).toContain('operation-operationId');
    expect(formatProblems).toBeTypeOf('function');
  });

  test('names every operation, as a generated client would', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'registerUser',
        'logIn',
        'getCurrentUser',
        'changeEmailAddress',
        'createProject',
        'listProjects',
        'getProject',
        'updateProject',
        'archiveProject',
        'unarchiveProject',
        'deleteProject',
        'createTask',
        'listTasks',
        'getTask',
        'completeTask',
        'incompleteTask',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every response has its own description and every error is a problem document', () => {
    for (const { name, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const { description, content, headers } = response as any;
        expect(description, `${name} ${status}`).not.toBe('Default Response');
        expect(headers['X-Request-Id'], `${name} ${status}`).toBeDefined();
        if (Number(status) >= 400) {
          expect(Object.keys(content), `${name} ${status}`).toEqual(['application/problem+json']);
        }
      }
    }
  });

  test('documents the headers clients rely on', () => {
    const responses = (method: string, path: string) => document.paths[path][method].responses;
    expect(responses('post', '/api/projects')['201'].headers.Location).toBeDefined();
    expect(responses('get', '/api/projects')['401'].headers['WWW-Authenticate']).toBeDefined();
    expect(responses('post', '/api/users')['429'].headers['Retry-After']).toBeDefined();
    expect(responses('get', '/api/projects')['503'].headers['Retry-After']).toBeDefined();
  });

  test('every route that needs the database documents 503', () => {
    for (const { name, operation } of operations()) {
      if (name.includes(' /api/')) expect(operation.responses['503'], name).toBeDefined();
    }
    expect(document.paths['/health/ready'].get.responses['503']).toBeDefined();
  });

  test('describes the login body both ways, and an oauth2 password flow that uses it', () => {
    const content = document.paths['/api/users/login'].post.requestBody.content;
    expect(Object.keys(content).sort()).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
    const schemas = document.components.schemas;
    // The password grant (what Swagger UI's Authorize sends) or the refresh grant.
    expect(schemas.FormLoginRequest.oneOf.map((grant: any) => grant.required)).toEqual([
      ['grant_type', 'username', 'password'],
      ['grant_type'],
    ]);
    expect(schemas.JsonLoginRequest.anyOf.map((grant: any) => grant.required)).toEqual([
      ['email', 'password'],
      ['grant_type'],
    ]);
    expect(document.components.securitySchemes.oauth2.flows.password.tokenUrl).toBe(
      '/api/users/login',
    );
  });

  test('documents the headers of versions, pages and replays where they are sent', () => {
    const operation = (path: string, method: string) => document.paths[path][method];
    const headers = (path: string, method: string, status: string) =>
      Object.keys(operation(path, method).responses[status].headers ?? {});
    expect(headers('/api/projects/{projectId}', 'get', '200')).toContain('ETag');
    expect(headers('/api/projects/{projectId}/tasks/{taskNumber}', 'get', '200')).toContain('ETag');
    expect(headers('/api/projects/{projectId}', 'get', '304')).toContain('ETag');
    expect(headers('/api/projects/{projectId}/tasks/{taskNumber}', 'get', '304')).toContain('ETag');
    expect(headers('/api/projects', 'get', '200')).toContain('Link');
    expect(headers('/api/projects/{projectId}/tasks', 'get', '200')).toContain('Link');
    expect(headers('/api/projects', 'post', '201')).toContain('Idempotent-Replayed');
    expect(headers('/api/projects/{projectId}/tasks', 'post', '201')).toContain(
      'Idempotent-Replayed',
    );
  });

  test('ids are positive 32-bit integers and emails are formatted', () => {
    const { Project, Task, User } = document.components.schemas;
    expect(Project.properties.id).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 2147483647,
    });
    expect(Task.properties.number).toMatchObject({ minimum: 1, maximum: 2147483647 });
    // Required, so the generated client may rely on it (the web client's rules do).
    expect(Project.required).toContain('numberOfIncompleteTasks');
    expect(Project.properties.numberOfIncompleteTasks).toMatchObject({
      type: 'integer',
      minimum: 0,
    });
    expect(User.properties.email.format).toBe('email');
    const parameter = document.paths['/api/projects/{projectId}'].get.parameters[0];
    expect(parameter.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 2147483647 });
  });

  test('parameters read from text keep their default and example (limit 50, project 42)', () => {
    const parameter = (path: string, name: string) =>
      document.paths[path].get.parameters.find((p: { name: string }) => p.name === name);
    for (const path of ['/api/projects', '/api/projects/{projectId}/tasks']) {
      expect(parameter(path, 'limit').schema).toMatchObject({ type: 'integer', default: 50 });
    }
    expect(parameter('/api/projects/{projectId}', 'projectId').example).toBe(42);
  });
});
