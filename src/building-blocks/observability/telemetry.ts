import type { Tracer } from '@opentelemetry/api';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TelemetrySettings } from '../../config/telemetry.ts';
import type { CommandInstrumentation } from '../application/command-instrumentation.ts';
import type { Database } from '../infrastructure/database/database.ts';
import type { MessageInstrumentation } from '../messaging/message-instrumentation.ts';
import { commandTelemetry } from './command-telemetry.ts';
import {
  measureRequests,
  type NotFoundHooks,
  traceRequests,
  type UserIdOf,
} from './http-telemetry.ts';
import { messageTelemetry } from './message-telemetry.ts';
import { Metrics } from './metrics.ts';
import { scrape } from './metrics-route.ts';
import { tracedDatabase } from './traced-database.ts';
import { type ExportLog, startTracing } from './tracing.ts';

/**
 * The service's traces and metrics, set up once by the composition root, which hands each
 * seam its part: the HTTP hooks, the database, the bus, the messaging. Tracing off (no OTLP
 * endpoint): no SDK is loaded, no seam is wrapped for it. Metrics off: nothing is measured.
 */
export interface Telemetry {
  /** Undefined while tracing is off. */
  readonly tracer: Tracer | undefined;
  /** Undefined while metrics are off. */
  readonly metrics: Metrics | undefined;
  readonly commands: CommandInstrumentation;
  readonly messages: MessageInstrumentation;
  /**
   * Adds the request span and the request histogram to a new server, before its routes;
   * gives the hooks its not-found handler needs.
   */
  instrumentHttp(app: FastifyInstance, userIdOf: UserIdOf): NotFoundHooks | undefined;
  /** The database, with a span per transaction and per statement when tracing is on. */
  traced(database: Database): Database;
  /** Where telemetry tells of its own trouble (a collector that does not take the spans). */
  reportTo(log: ExportLog): void;
  /** Sends the spans not exported yet. */
  shutdown(): Promise<void>;
}

export async function startTelemetry(
  settings: TelemetrySettings,
  { version, tracer: given }: { version: string; tracer?: Tracer | undefined },
): Promise<Telemetry> {
  const tracing =
    given || !settings.tracing ? undefined : await startTracing(settings.tracing, version);
  const tracer = given ?? tracing?.tracer;
  const metrics = settings.metricsEnabled ? new Metrics() : undefined;
  return {
    tracer,
    metrics,
    commands: commandTelemetry(tracer, metrics),
    messages: messageTelemetry(tracer, metrics),
    instrumentHttp(app, userIdOf) {
      if (tracer) traceRequests(app, tracer, userIdOf);
      return metrics && measureRequests(app, metrics);
    },
    traced: (database) => (tracer ? tracedDatabase(database, tracer) : database),
    reportTo: (log) => tracing?.reportExportsTo(log),
    // The spans not exported yet go with a last try, for a few seconds at most: a collector
    // that refuses, fails or never answers costs them, never the exit.
    shutdown: async () => {
      const lastExport = tracing?.shutdown().catch(() => {});
      await Promise.race([
        lastExport,
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
    },
  };
}

/** `/metrics` alone, for `METRICS_PORT`: nothing else is served there. */
export function metricsServer(metrics: Metrics): FastifyInstance {
  const app = Fastify();
  app.get('/metrics', (_request, reply) => scrape(metrics, reply));
  return app;
}
