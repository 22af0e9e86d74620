import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem, problemResponses } from './problem-details.ts';

/** Liveness and readiness, for load balancers and orchestrators. */
export function healthRoutes(isReady: () => Promise<void>): FastifyPluginAsyncZod {
  return async (app) => {
    const Status = z.object({ status: z.literal('ok') });

    app.get(
      '/health',
      {
        schema: {
          tags: ['health'],
          operationId: 'checkLiveness',
          summary: 'Liveness: the process is up',
          response: { 200: Status },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/health/ready',
      {
        schema: {
          tags: ['health'],
          operationId: 'checkReadiness',
          summary: 'Readiness: the database (and the message broker, when configured) answers',
          response: { 200: Status, ...problemResponses(503) },
        },
      },
      async (request, reply) => {
        try {
          await isReady();
          return { status: 'ok' as const };
        } catch (error) {
          request.log.warn({ cause: (error as Error).message }, 'readiness check failed');
          return reply
            .status(503)
            .header('retry-after', '1')
            .type('application/problem+json')
            .send(
              problem(
                503,
                'not-ready',
                'Service unavailable',
                'The database or the message broker does not answer.',
              ),
            );
        }
      },
    );
  };
}
