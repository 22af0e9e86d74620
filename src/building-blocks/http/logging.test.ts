import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { lazyRequestLogger, logController, loggerOptions } from './logging.ts';

/** A Fastify instance whose log lines (JSON, before any pretty printing) land in `lines`. */
function serverLogging(format: 'json' | 'pretty', level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
  const { transport: _printer, ...options } = loggerOptions(level, format) as Record<
    string,
    unknown
  >;
  const app = Fastify({
    logger: { ...options, stream },
    logController: logController(format),
    childLoggerFactory: lazyRequestLogger,
    genReqId: () => 'request-1',
  });
  app.get('/tasks', async () => ({ tasks: [] }));
  app.get('/noisy', async (request) => {
    request.log.debug('a detail');
    request.log.info({ step: 1 }, 'a step');
    request.log.warn('a doubt');
    request.log.child({ part: 'inner' }).error('a failure');
    return {};
  });
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

  test("a request's lines carry its id, at the levels the logger writes, and none below", async () => {
    const { app, lines } = serverLogging('json', 'warn');

    await app.inject({ method: 'GET', url: '/noisy' });

    expect(lines.map(({ msg, reqId, part }) => ({ msg, reqId, part }))).toEqual([
      { msg: 'a doubt', reqId: 'request-1', part: undefined },
      { msg: 'a failure', reqId: 'request-1', part: 'inner' },
    ]);
  });

  test('at a lower level the same request writes every line, with its fields', async () => {
    const { app, lines } = serverLogging('json', 'debug');

    await app.inject({ method: 'GET', url: '/noisy' });

    expect(lines.filter((line) => line.reqId === 'request-1').map((line) => line.msg)).toEqual([
      'incoming request',
      'a detail',
      'a step',
      'a doubt',
      'a failure',
      'request completed',
    ]);
    expect(lines.find((line) => line.msg === 'a step')).toMatchObject({ step: 1 });
  });

  test("a request logger given options of its own (a route's level) follows them", () => {
    const lines: Record<string, unknown>[] = [];
    const root = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });

    const logger = lazyRequestLogger(root, { reqId: 'request-2' }, { level: 'debug' });
    logger.debug('a detail');

    expect(lines).toMatchObject([{ msg: 'a detail', reqId: 'request-2' }]);
  });

  test('pretty printing is pino-pretty, only when asked for', () => {
    expect(loggerOptions('info', 'pretty')).toMatchObject({ transport: { target: 'pino-pretty' } });
    expect(loggerOptions('info', 'json')).not.toHaveProperty('transport');
  });
});
