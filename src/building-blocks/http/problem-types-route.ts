import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_TYPES_PATH } from './problem-details.ts';

const PAGE = new URL('../../../docs/problems.md', import.meta.url);

/**
 * Every problem document's `type` is `/problems#<code>`: this route answers it with the page
 * that describes every problem type (docs/problems.md), so the URI leads somewhere useful.
 */
export async function problemTypesRoute(app: FastifyInstance): Promise<void> {
  const page = readFileSync(PAGE, 'utf8');
  app.get(PROBLEM_TYPES_PATH, { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/markdown; charset=utf-8').send(page),
  );
}
