import type { KeyObject } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { Clock } from '../building-blocks/application/clock.ts';
import type { IdGenerator } from '../building-blocks/application/id-generator.ts';
import type { Logger } from '../building-blocks/application/logger.ts';
import type { Mailer } from '../building-blocks/application/mailer.ts';
import type { MessageBus } from '../building-blocks/application/message-bus.ts';
import type { BearerAuthentication } from '../building-blocks/http/bearer-authentication.ts';
import type { Database } from '../building-blocks/infrastructure/database/database.ts';
import { KyselyUnitOfWork } from '../building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { Messaging } from '../building-blocks/messaging/messaging.ts';
import { tracedReadModel } from '../building-blocks/observability/traced-read-model.ts';
import type { Authenticator, Caller } from '../shared-kernel/application/authenticator.ts';
import { accountsPublishes, UserAccountCreatedV1 } from '../shared-kernel/contracts/accounts.ts';
import type { UserId } from '../shared-kernel/domain/user-id.ts';
import {
  ChangeEmailAddress,
  changeEmailAddress,
} from './application/commands/change-email-address.ts';
import { ChangePassword, changePassword } from './application/commands/change-password.ts';
import { DeleteAccount, deleteAccount } from './application/commands/delete-account.ts';
import { LogIn, logIn } from './application/commands/log-in.ts';
import { LogOut, logOut } from './application/commands/log-out.ts';
import { RefreshSession, refreshSession } from './application/commands/refresh-session.ts';
import { RegisterUser, registerUser } from './application/commands/register-user.ts';
import { RevokeSession, revokeSession } from './application/commands/revoke-session.ts';
import { sendWelcomeEmail } from './application/event-handlers/send-welcome-email.ts';
import { LoginThrottle } from './application/login-throttle.ts';
import type { AccountsRepositories, PasswordHasher } from './application/ports.ts';
import { createAuthenticator } from './application/queries/authenticate.ts';
import { getCurrentUser } from './application/queries/get-current-user.ts';
import { listSessions } from './application/queries/list-sessions.ts';
import type { ProjectsOfUser } from './application/queries/projects-of-user.ts';
import type { SessionReadModel } from './application/queries/session-read-model.ts';
import { accountRoutes } from './http/account-routes.ts';
import { keyRoutes } from './http/key-routes.ts';
import { Argon2PasswordHasher } from './infrastructure/argon2-password-hasher.ts';
import { commonPasswordList } from './infrastructure/common-password-list.ts';
import { forgettingChangedSessions } from './infrastructure/forget-changed-sessions.ts';
import { JwtAccessTokens } from './infrastructure/jwt-access-tokens.ts';
import { KyselySessionRepository } from './infrastructure/kysely-session-repository.ts';
import { KyselyUserRepository } from './infrastructure/kysely-user-repository.ts';
import { randomRefreshTokens } from './infrastructure/random-refresh-tokens.ts';
import { RedisLoginAttempts } from './infrastructure/redis-login-attempts.ts';
import { forgettingOnFileChange, hearSessionChanges } from './infrastructure/session-changes.ts';
import { CachedSessionReadModel } from './infrastructure/session-status-cache.ts';
import { SqlLoginAttempts } from './infrastructure/sql-login-attempts.ts';
import { SqlSessionReadModel } from './infrastructure/sql-session-read-model.ts';
import { SqlUserReadModel } from './infrastructure/sql-user-read-model.ts';
import type { AccountsTables } from './infrastructure/tables.ts';
import { tracedPasswordHasher } from './infrastructure/traced-password-hasher.ts';

export { RegisterUser } from './application/commands/register-user.ts';
export type { PasswordHasher } from './application/ports.ts';
export type { ProjectsOfUser } from './application/queries/projects-of-user.ts';
export { EmailAddressAlreadyTaken } from './domain/errors.ts';
export { accountsMigrations } from './infrastructure/migrations.ts';

export interface AccountsModuleDeps {
  database: Database;
  bus: MessageBus;
  messaging: Messaging;
  mailer: Mailer;
  clock: Clock;
  ids: IdGenerator;
  /** HS256's secret; none when tokens are EdDSA's only. */
  jwtSecret: string | undefined;
  jwtPreviousSecrets: string[];
  /** Ed25519 keys: when given, tokens are signed with EdDSA and the public keys published. */
  jwtSigningKeys?: { privateKey: KeyObject; verificationKeys: KeyObject[] } | undefined;
  accessTokenTtlSeconds: number;
  sessionLifetimeSeconds: number;
  sessionIdleTimeoutSeconds: number;
  authRateLimitPerMinute: number;
  /** Supplied by the composition root from the `projects` read model. */
  projectsOfUser: ProjectsOfUser;
  hasher?: PasswordHasher;
  /** Traces password hashing and the read models' queries when tracing is on. */
  tracer?: Tracer | undefined;
  loginThrottle: LoginThrottleSettings;
  /**
   * Shares the login counters between processes, under keys that start with `namespace`;
   * without it, the database does.
   */
  redis?: { redis: Redis; namespace: string } | undefined;
  /** How long, and how many, session statuses are kept (ADR 19, ADR 22); 0 s: none. */
  sessionCache: SessionCacheSettings;
  log: Logger;
}

export interface SessionCacheSettings {
  maxAgeSeconds: number;
  maxEntries: number;
}

export interface LoginThrottleSettings {
  failuresBeforeDelay: number;
  maxDelaySeconds: number;
}

/** A quarter of an hour without an attempt and an account's count starts again from zero. */
const FORGET_LOGIN_ATTEMPTS_AFTER_MS = 15 * 60 * 1000;

/**
 * The sessions' statuses are cached: on PostgreSQL every change to a session, in any process,
 * is heard of (ADR 19); on a SQLite file, every commit to the file, by any process, forgets
 * them all (ADR 22). An in-memory SQLite database (tests) reads the session on each request.
 */
function sessionStatusCache(
  stored: SessionReadModel,
  { database, clock, sessionCache, log }: AccountsModuleDeps,
): { cache: CachedSessionReadModel; sessions: SessionReadModel } | undefined {
  const { dataVersion } = database;
  if (sessionCache.maxAgeSeconds === 0 || (!database.listen && !dataVersion)) return undefined;
  const cache = new CachedSessionReadModel(stored, clock, {
    maxAgeMs: sessionCache.maxAgeSeconds * 1000,
    maxEntries: sessionCache.maxEntries,
  });
  if (dataVersion) return { cache, sessions: forgettingOnFileChange(cache, dataVersion) };
  hearSessionChanges(database, cache, log);
  return { cache, sessions: cache };
}

/** Builds the `accounts` context: its adapters, its handlers on the bus and for messages, its routes. */
export function createAccountsModule(deps: AccountsModuleDeps) {
  const { database, bus, clock, ids } = deps;
  const storedSessions = tracedReadModel(
    new SqlSessionReadModel(database.reads),
    deps.tracer,
    'accounts',
  );
  const cached = sessionStatusCache(storedSessions, deps);
  const sessions = cached?.sessions ?? storedSessions;
  const cache = cached?.cache;
  const unitOfWork = new KyselyUnitOfWork<AccountsTables, AccountsRepositories>(
    database,
    (trx, tracker) => ({
      users: new KyselyUserRepository(trx, tracker, { lockRows: database.supportsRowLocks }),
      sessions: new KyselySessionRepository(trx, tracker),
    }),
    deps.messaging.outboxOf('accounts', accountsPublishes),
  );
  const uow = cache ? forgettingChangedSessions(unitOfWork, cache) : unitOfWork;
  const users = tracedReadModel(new SqlUserReadModel(database.reads), deps.tracer, 'accounts');
  const argon2 = deps.hasher ? undefined : new Argon2PasswordHasher();
  const untraced = deps.hasher ?? (argon2 as Argon2PasswordHasher);
  const hasher = deps.tracer ? tracedPasswordHasher(untraced, deps.tracer) : untraced;
  const tokens = new JwtAccessTokens({
    secret: deps.jwtSecret,
    previousSecrets: deps.jwtPreviousSecrets,
    privateKey: deps.jwtSigningKeys?.privateKey,
    verificationKeys: deps.jwtSigningKeys?.verificationKeys ?? [],
    ttlSeconds: deps.accessTokenTtlSeconds,
    clock,
  });
  const refreshTokens = randomRefreshTokens;
  const lifetimes = {
    absoluteSeconds: deps.sessionLifetimeSeconds,
    idleSeconds: deps.sessionIdleTimeoutSeconds,
  };

  const loginThrottle = new LoginThrottle(
    deps.redis
      ? new RedisLoginAttempts(deps.redis.redis, deps.redis.namespace)
      : new SqlLoginAttempts(database),
    clock,
    {
      failuresBeforeDelay: deps.loginThrottle.failuresBeforeDelay,
      maxDelayMs: deps.loginThrottle.maxDelaySeconds * 1000,
      forgetAfterMs: FORGET_LOGIN_ATTEMPTS_AFTER_MS,
    },
  );

  const commonPasswords = commonPasswordList();
  bus.handle(RegisterUser, (command) =>
    registerUser(command, { uow, hasher, clock, ids, commonPasswords }),
  );
  bus.handle(ChangeEmailAddress, (command) =>
    changeEmailAddress(command, { uow, throttle: loginThrottle }),
  );
  bus.handle(LogIn, (command) =>
    logIn(command, { users, hasher, tokens, refreshTokens, uow, clock, ids, lifetimes }),
  );
  bus.handle(RefreshSession, (command) =>
    refreshSession(command, { uow, tokens, refreshTokens, clock, lifetimes }),
  );
  bus.handle(RevokeSession, (command) => revokeSession(command, { uow, clock }));
  bus.handle(LogOut, (command) => logOut(command, { uow, clock }));
  bus.handle(ChangePassword, (command) =>
    changePassword(command, { uow, hasher, clock, commonPasswords, throttle: loginThrottle }),
  );
  bus.handle(DeleteAccount, (command) =>
    deleteAccount(command, { uow, hasher, clock, throttle: loginThrottle }),
  );
  deps.messaging.handlers.subscribe(
    UserAccountCreatedV1,
    { context: 'accounts', name: 'sendWelcomeEmail', inbox: 'outside' },
    sendWelcomeEmail(deps.mailer, users),
  );

  const authenticator: Authenticator = createAuthenticator({ tokens, sessions, clock });
  const currentUser = (userId: UserId) =>
    getCurrentUser({ userId }, { users, projects: deps.projectsOfUser });
  const sessionsOf = (caller: Caller) => listSessions(caller, { sessions, clock });

  return {
    authenticator,
    /** Hashes waiting for a hashing slot (a metric); none with a hasher given by a test. */
    passwordHashQueueLength: () => argon2?.waiting ?? 0,
    routes: (auth: BearerAuthentication<Caller>) =>
      accountRoutes({
        bus,
        auth,
        currentUser,
        sessionsOf,
        rateLimitPerMinute: deps.authRateLimitPerMinute,
        loginThrottle,
        sessionLifetimeSeconds: deps.sessionLifetimeSeconds,
      }),
    /** `/.well-known/jwks.json`, outside `/api`: where verifiers look for it. */
    keyRoutes: keyRoutes(() => tokens.publicKeys()),
  };
}
