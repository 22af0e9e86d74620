import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { logController, loggerOptions } from './logging.ts';

/** A Fastify instance whose log lines (JSON, before any pretty printing) land in `lines`. */
function serverLogging(format: 'json' | 'pretty') {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
  const { transport: _printer, ...options } = loggerOptions('info', format) as Record<
    string,
    unknown
  >;
  const app = Fastify({ logger: { ...options, stream }, logController: logController(format) });
  app.get('/tasks', async () => ({ tasks: [] }));
  return { app, lines };
}

describe('request logging', () => {
  test('pretty: one line per request, with method, path, status and time', async () => {
    const { app, lines } = serverLogging('pretty');

    await app.inject({ method: 'GET', url: '/tasks' });

    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/^GET \/tasks 200 \d+\.\d ms$/);
  });

  test('JSON: Fastify’s own two objects, as log collectors expect them', async () => {
    const { app, lines } = serverLogging('json');

    await app.inject({ method: 'GET', url: '/tasks' });

    expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
  });

  test('pretty printing is pino-pretty, only when asked for', () => {
    expect(loggerOptions('info', 'pretty')).toMatchObject({ transport: { target: 'pino-pretty' } });
    expect(loggerOptions('info', 'json')).not.toHaveProperty('transport');
  });
});
