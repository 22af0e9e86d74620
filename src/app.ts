import type { Tracer } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import {
  accountsMigrations,
  createAccountsModule,
  type PasswordHasher,
} from './accounts/module.ts';
import { type Clock, systemClock } from './building-blocks/application/clock.ts';
import type { IdGenerator } from './building-blocks/application/id-generator.ts';
import type { Mailer } from './building-blocks/application/mailer.ts';
import { MessageBus } from './building-blocks/application/message-bus.ts';
import { bearerAuthentication } from './building-blocks/http/bearer-authentication.ts';
import { healthRoutes } from './building-blocks/http/health-routes.ts';
import { createHttpServer, type HttpServer } from './building-blocks/http/http-server.ts';
import { webClient } from './building-blocks/http/web-client.ts';
import type { Database } from './building-blocks/infrastructure/database/database.ts';
import {
  checkSchema,
  migrateToLatest,
} from './building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from './building-blocks/infrastructure/database/open-database.ts';
import { waitForDatabase } from './building-blocks/infrastructure/database/wait-for-database.ts';
import { openMailer } from './building-blocks/infrastructure/mail/open-mailer.ts';
import { closeRedis, connectRedis, redisClient } from './building-blocks/infrastructure/redis.ts';
import { uuidV7Ids } from './building-blocks/infrastructure/uuid-v7.ts';
import { createMessaging, type Messaging } from './building-blocks/messaging/messaging.ts';
import { metricsRoute } from './building-blocks/observability/metrics-route.ts';
import {
  metricsServer,
  startTelemetry,
  type Telemetry,
} from './building-blocks/observability/telemetry.ts';
import { servicePackage } from './config/package.ts';
import type { Config } from './config.ts';
import { createProjectsModule, projectsMigrations } from './projects/module.ts';
import type { Caller } from './shared-kernel/application/authenticator.ts';

export interface Overrides {
  clock?: Clock;
  ids?: IdGenerator;
  hasher?: PasswordHasher;
  database?: Database;
  mailer?: Mailer;
  /** Tests: spans go to this tracer (an in-memory exporter) whatever the configuration says. */
  tracer?: Tracer;
  /** Tests: the log's JSON lines go here instead of to stdout. */
  logStream?: { write(line: string): void };
}

/** The API serves HTTP (and, with RUN_WORKERS, does a worker's work too); a worker does not. */
export type Role = 'api' | 'worker';

export interface App {
  http: HttpServer;
  database: Database;
  bus: MessageBus;
  messaging: Messaging;
  telemetry: Telemetry;
  /** `/metrics` alone, when `METRICS_PORT` gives it a port of its own; `main` listens. */
  metricsServer: FastifyInstance | undefined;
}

/** The contexts that keep an outbox and an inbox. */
export const MESSAGING_CONTEXTS = ['accounts', 'projects'];

/** Every migration of every context, in the order they run. */
export const migrations = [accountsMigrations, projectsMigrations];

/**
 * The composition root: the one place that knows every context. It builds the database,
 * the bus and each module, plugs the contexts' contracts into each other and mounts their
 * routes. Tests call it with overrides (a fixed clock, a fast hasher, their own database).
 * A worker (`src/worker.ts`) is the same process without routes, never listening: the HTTP
 * server object then only carries the logger and the close hooks.
 */
export async function buildApp(
  config: Config,
  overrides: Overrides = {},
  role: Role = 'api',
): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? uuidV7Ids;
  const telemetry = await startTelemetry(config.telemetry, {
    version: servicePackage.version,
    tracer: overrides.tracer,
  });
  const redis = config.redisUrl === undefined ? undefined : await redisClient(config.redisUrl);
  const http = await createHttpServer({
    logLevel: config.logLevel,
    logFormat: config.logFormat,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    edge: config.httpEdge,
    rateLimitStore: redis && { redis, namespace: config.redisNamespace },
    version: servicePackage.version,
    traceIdsInLogs: telemetry.tracer !== undefined,
    logStream: overrides.logStream,
    instrument: (app) =>
      telemetry.instrumentHttp(app, (request) => (request.caller as Caller | null)?.userId),
  });
  if (redis) await connectRedis(redis, http.log);
  telemetry.reportTo(http.log);
  const database = telemetry.traced(
    overrides.database ??
      openDatabase(config.databaseUrl, {
        poolSize: config.databasePoolSize,
        readConnections: config.databaseReadConnections,
        readTimeoutMs: config.databaseReadTimeoutMs,
        commandTimeoutMs: config.databaseCommandTimeoutMs,
        groupCommit: config.sqliteGroupCommit,
        onIdleConnectionLost: (error) =>
          http.log.warn({ cause: error.message }, 'an idle database connection was lost'),
        onReadConnectionLost: (error) =>
          http.log.warn(
            { cause: error.message },
            'a read connection to the database was lost; the next read opens another',
          ),
      }),
  );
  await waitForDatabase(database, config.databaseUrl, config.databaseWaitSeconds * 1000);
  // A process that does not migrate still checks that the schema is one it can run on:
  // started on one that lacks a migration, every request would fail with a 500.
  const { unknown } = config.runMigrationsOnStart
    ? await migrateToLatest(database, ...migrations)
    : await checkSchema(database, ...migrations);
  if (unknown.length) {
    http.log.warn(
      { migrations: unknown },
      'a newer version of the service has migrated this database: running on it as it is',
    );
  }

  const bus = new MessageBus({ instrumentation: telemetry.commands });

  const messaging = createMessaging({
    database,
    contexts: MESSAGING_CONTEXTS,
    log: http.log,
    retry: {
      maxAttempts: config.messages.maxAttempts,
      firstDelayMs: config.messages.retryFirstDelayMs,
      maxDelayMs: config.messages.retryMaxDelayMs,
    },
    pollIntervalMs: config.messages.relayIntervalMs,
    concurrency: config.messages.relayConcurrency,
    leaseMs: config.messages.leaseMs,
    retentionMs: config.messages.retentionMs,
    broker: config.broker,
    instrumentation: telemetry.messages,
    // Test-only: dies as a crash would, after a COMMIT and before its handlers ran.
    ...(config.failpoint === 'kill-after-commit' && {
      beforeDispatch: () => process.kill(process.pid, 'SIGKILL'),
    }),
  });
  const mailer = overrides.mailer ?? openMailer(config, http.log);

  const projects = createProjectsModule({
    database,
    bus,
    messaging,
    clock,
    log: http.log,
    tracer: telemetry.tracer,
  });
  const accounts = createAccountsModule({
    database,
    bus,
    messaging,
    mailer,
    clock,
    ids,
    jwtSecret: config.jwtSecret,
    jwtPreviousSecrets: config.jwtPreviousSecrets,
    jwtSigningKeys: config.jwtSigningKeys,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    sessionLifetimeSeconds: config.sessionLifetimeSeconds,
    sessionIdleTimeoutSeconds: config.sessionIdleTimeoutSeconds,
    authRateLimitPerMinute: config.authRateLimitPerMinute,
    loginThrottle: config.loginThrottle,
    redis: redis && { redis, namespace: config.redisNamespace },
    // A worker authenticates no request: no session statuses to keep, no connection to listen on.
    sessionCache:
      role === 'worker' ? { ...config.sessionCache, maxAgeSeconds: 0 } : config.sessionCache,
    log: http.log,
    projectsOfUser: projects.projectsOfUser,
    tracer: telemetry.tracer,
    ...(overrides.hasher && { hasher: overrides.hasher }),
  });

  const { metrics } = telemetry;
  metrics?.watchOutboxes(() => messaging.relay.stats());
  metrics?.watchPasswordHashQueue(accounts.passwordHashQueueLength);
  const separateMetrics =
    metrics && config.telemetry.metricsPort !== undefined ? metricsServer(metrics) : undefined;

  if (role === 'api') {
    if (metrics && !separateMetrics) await http.register(metricsRoute(metrics));
    const auth = bearerAuthentication(http, accounts.authenticator);
    await http.register(
      healthRoutes(async () => {
        await Promise.all([database.ping(), messaging.ready()]);
      }),
    );
    await http.register(accounts.routes(auth), { prefix: '/api' });
    await http.register(accounts.keyRoutes);
    const owner = auth.map((caller) => caller.userId);
    for (const routes of projects.routes(owner)) await http.register(routes, { prefix: '/api' });
    const client = webClient(config.webClientDirectory);
    if (client) await http.register(client);
    else http.log.info(`no web client in ${config.webClientDirectory}: npm run web:build makes it`);
  }

  await messaging.start({ work: role === 'worker' || config.runWorkers });
  // On close (SIGTERM): no new messages, the deliveries under way finish, then the database.
  http.addHook('onClose', async () => {
    await messaging.stop();
    (mailer as { close?(): void }).close?.();
    if (redis) await closeRedis(redis);
    await database.close();
    await separateMetrics?.close();
    await telemetry.shutdown();
  });
  return { http, database, bus, messaging, telemetry, metricsServer: separateMetrics };
}
