import { readFileSync } from 'node:fs';
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
import type { Database } from './building-blocks/infrastructure/database/database.ts';
import { migrateToLatest } from './building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from './building-blocks/infrastructure/database/open-database.ts';
import { waitForDatabase } from './building-blocks/infrastructure/database/wait-for-database.ts';
import { openMailer } from './building-blocks/infrastructure/mail/open-mailer.ts';
import { connectRedis } from './building-blocks/infrastructure/redis.ts';
import { uuidV7Ids } from './building-blocks/infrastructure/uuid-v7.ts';
import { createMessaging, type Messaging } from './building-blocks/messaging/messaging.ts';
import type { Config } from './config.ts';
import { createProjectsModule, projectsMigrations } from './projects/module.ts';

export interface Overrides {
  clock?: Clock;
  ids?: IdGenerator;
  hasher?: PasswordHasher;
  database?: Database;
  mailer?: Mailer;
}

export interface App {
  http: HttpServer;
  database: Database;
  bus: MessageBus;
  messaging: Messaging;
}

/** The contexts that keep an outbox and an inbox. */
export const MESSAGING_CONTEXTS = ['accounts', 'projects'];

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** Every migration of every context, in the order they run. */
export const migrations = [accountsMigrations, projectsMigrations];

/**
 * The composition root: the one place that knows every context. It builds the database,
 * the bus and each module, plugs the contexts' contracts into each other and mounts their
 * routes. Tests call it with overrides (a fixed clock, a fast hasher, their own database).
 */
export async function buildApp(config: Config, overrides: Overrides = {}): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? uuidV7Ids;
  const redis = config.redisUrl === undefined ? undefined : await connectRedis(config.redisUrl);
  const http = await createHttpServer({
    logLevel: config.logLevel,
    logFormat: config.logFormat,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    edge: config.httpEdge,
    rateLimitStore: redis,
    version,
  });
  const database =
    overrides.database ??
    openDatabase(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      groupCommit: config.sqliteGroupCommit,
      onIdleConnectionLost: (error) =>
        http.log.warn({ cause: error.message }, 'an idle database connection was lost'),
    });
  await waitForDatabase(database, config.databaseUrl, config.databaseWaitSeconds * 1000);
  if (config.runMigrationsOnStart) await migrateToLatest(database, ...migrations);

  const bus = new MessageBus();

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
    // Test-only: dies as a crash would, after a COMMIT and before its handlers ran.
    ...(config.failpoint === 'kill-after-commit' && {
      beforeDispatch: () => process.kill(process.pid, 'SIGKILL'),
    }),
  });
  const mailer = overrides.mailer ?? openMailer(config, http.log);

  const projects = createProjectsModule({ database, bus, messaging, clock, log: http.log });
  const accounts = createAccountsModule({
    database,
    bus,
    messaging,
    mailer,
    clock,
    ids,
    jwtSecret: config.jwtSecret,
    jwtPreviousSecrets: config.jwtPreviousSecrets,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    sessionLifetimeSeconds: config.sessionLifetimeSeconds,
    sessionIdleTimeoutSeconds: config.sessionIdleTimeoutSeconds,
    authRateLimitPerMinute: config.authRateLimitPerMinute,
    loginThrottle: config.loginThrottle,
    redis,
    sessionCache: config.sessionCache,
    log: http.log,
    securityLog: {
      warn: (event, details) => http.log.warn({ securityEvent: event, ...details }, event),
    },
    projectsOfUser: projects.projectsOfUser,
    ...(overrides.hasher && { hasher: overrides.hasher }),
  });

  const auth = bearerAuthentication(http, accounts.authenticator);
  await http.register(
    healthRoutes(async () => {
      await Promise.all([database.ping(), messaging.ready()]);
    }),
  );
  await http.register(accounts.routes(auth), { prefix: '/api' });
  const owner = auth.map((caller) => caller.userId);
  for (const routes of projects.routes(owner)) await http.register(routes, { prefix: '/api' });

  messaging.relay.start();
  // On close (SIGTERM): no new messages, the deliveries under way finish, then the database.
  http.addHook('onClose', async () => {
    await messaging.relay.stop();
    (mailer as { close?(): void }).close?.();
    await redis?.quit();
    await database.close();
  });
  return { http, database, bus, messaging };
}
