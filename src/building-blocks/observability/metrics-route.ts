import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Metrics } from './metrics.ts';

/** Answers a scrape: every metric in Prometheus' text format (0.0.4). */
export function scrape(metrics: Metrics, reply: FastifyReply): Promise<string> {
  reply.type(metrics.registry.contentType);
  return metrics.registry.metrics();
}

/**
 * `GET /metrics` on the API's own port (when `METRICS_PORT` gives it none of its own):
 * outside `/api`, no token, documented like the health routes.
 */
export function metricsRoute(metrics: Metrics): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['metrics'],
          operationId: 'scrapeMetrics',
          summary: 'Prometheus metrics: requests, commands, retries, outbox, process',
          response: {
            200: {
              description: 'Every metric, in the Prometheus text exposition format (0.0.4).',
              content: { 'text/plain': { schema: z.string() } },
            },
          },
        },
      },
      (_request, reply) => scrape(metrics, reply),
    );
  };
}
