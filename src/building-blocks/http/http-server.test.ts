import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import { createHttpServer, forWriting } from './http-server.ts';

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });

describe('the schema a response serializer is compiled from', () => {
  test('keeps fields and types, writes T | null as a type list, drops validation keywords', () => {
    const schema = z.object({
      number: z.number().int(),
      completedAt: z.iso.datetime().nullable(),
      tags: z.array(z.string().min(1)),
    });

    expect(forWriting(jsonSchema(schema))).toMatchObject({
      type: 'object',
      properties: {
        number: { type: 'integer' },
        completedAt: { type: ['string', 'null'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['number', 'completedAt', 'tags'],
      additionalProperties: false,
    });
    expect(JSON.stringify(forWriting(jsonSchema(schema)))).not.toMatch(/pattern|format|minimum/);
  });

  test('a field named like a keyword is still a field', () => {
    const schema = z.object({ pattern: z.string(), format: z.number() });

    expect(forWriting(jsonSchema(schema))).toMatchObject({
      properties: { pattern: { type: 'string' }, format: { type: 'number' } },
    });
  });

  test('a nullable object stays a union', () => {
    const schema = z.object({ value: z.object({ id: z.number() }).nullable() });

    expect(forWriting(jsonSchema(schema))).toMatchObject({
      properties: { value: { anyOf: expect.any(Array) } },
    });
  });
});

const httpServer = () =>
  createHttpServer({
    logLevel: 'silent',
    logFormat: 'json',
    bodyLimit: 1024,
    version: '0',
    trustProxy: false,
    edge: {
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      connectionTimeoutMs: 60_000,
      maxConnections: 100,
      corsOrigins: [],
      hstsMaxAgeSeconds: 0,
    },
  });

describe('a database that is unavailable', () => {
  const serverFailingWith = async (error: DatabaseUnavailable) => {
    const http = await httpServer();
    http.get('/fails', async () => {
      throw error;
    });
    return http;
  };

  test('is a 503 to send again, after Retry-After, when nothing was written', async () => {
    const http = await serverFailingWith(
      new DatabaseUnavailable(new Error('lost'), { nothingWritten: true, retryAtOnce: true }),
    );

    const response = await http.inject({ method: 'GET', url: '/fails' });

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ code: 'service-unavailable' });
    await http.close();
  });

  test('is a 503 that says the outcome is unknown, without Retry-After, when COMMIT was under way', async () => {
    const http = await serverFailingWith(
      new DatabaseUnavailable(new Error('lost'), { nothingWritten: false, retryAtOnce: false }),
    );

    const response = await http.inject({ method: 'GET', url: '/fails' });

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeUndefined();
    expect(response.json()).toMatchObject({ code: 'outcome-unknown' });
    expect(response.json().detail).toMatch(/may or may not have been saved/);
    await http.close();
  });
});

describe('shutting down', () => {
  test('a request that arrives once it has begun is a 503 problem with Retry-After, the security headers and Connection: close', async () => {
    const http = await httpServer();
    http.get('/hello', async () => ({ hello: true }));
    await http.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(http.server.address() as { port: number }).port}`;
    await (await fetch(`${url}/hello`)).json(); // fetch keeps its connection alive

    const closed = http.close();
    // Once shutdown has begun, no new connection is taken (the socket stops listening), but
    // for a while a kept-alive one still brings requests.
    while (http.server.listening) await new Promise((resolve) => setImmediate(resolve));
    const late = await fetch(`${url}/hello`);
    await closed;

    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('1');
    expect(late.headers.get('connection')).toBe('close');
    expect(late.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await late.json()).toMatchObject({ code: 'shutting-down', status: 503 });
  });
});
