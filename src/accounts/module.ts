import type { Clock } from '../building-blocks/application/clock.ts';
import type { IdGenerator } from '../building-blocks/application/id-generator.ts';
import type { Mailer } from '../building-blocks/application/mailer.ts';
import type { MessageBus } from '../building-blocks/application/message-bus.ts';
import type { BearerAuthentication } from '../building-blocks/http/bearer-authentication.ts';
import type { Database } from '../building-blocks/infrastructure/database/database.ts';
import { KyselyUnitOfWork } from '../building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { Messaging } from '../building-blocks/messaging/messaging.ts';
import type { Authenticator } from '../shared-kernel/application/authenticator.ts';
import { accountsPublishes, UserAccountCreatedV1 } from '../shared-kernel/contracts/accounts.ts';
import type { UserId } from '../shared-kernel/domain/user-id.ts';
import {
  ChangeEmailAddress,
  changeEmailAddress,
} from './application/commands/change-email-address.ts';
import { LogIn, logIn } from './application/commands/log-in.ts';
import { RegisterUser, registerUser } from './application/commands/register-user.ts';
import { sendWelcomeEmail } from './application/event-handlers/send-welcome-email.ts';
import type { AccountsRepositories, PasswordHasher } from './application/ports.ts';
import { createAuthenticator } from './application/queries/authenticate.ts';
import { getCurrentUser } from './application/queries/get-current-user.ts';
import type { ProjectsOfUser } from './application/queries/projects-of-user.ts';
import { accountRoutes } from './http/account-routes.ts';
import { Argon2PasswordHasher } from './infrastructure/argon2-password-hasher.ts';
import { JwtAccessTokens } from './infrastructure/jwt-access-tokens.ts';
import { KyselyUserRepository } from './infrastructure/kysely-user-repository.ts';
import { SqlUserReadModel } from './infrastructure/sql-user-read-model.ts';
import type { AccountsTables } from './infrastructure/tables.ts';

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
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  authRateLimitPerMinute: number;
  /** Supplied by the composition root from the `projects` read model. */
  projectsOfUser: ProjectsOfUser;
  hasher?: PasswordHasher;
}

/** Builds the `accounts` context: its adapters, its handlers on the bus and for messages, its routes. */
export function createAccountsModule(deps: AccountsModuleDeps) {
  const { database, bus, clock, ids } = deps;
  const uow = new KyselyUnitOfWork<AccountsTables, AccountsRepositories>(
    database,
    (trx, tracker) => ({ users: new KyselyUserRepository(trx, tracker) }),
    deps.messaging.outboxOf('accounts', accountsPublishes),
  );
  const users = new SqlUserReadModel(database.reads);
  const hasher = deps.hasher ?? new Argon2PasswordHasher();
  const tokens = new JwtAccessTokens({
    secret: deps.jwtSecret,
    ttlSeconds: deps.accessTokenTtlSeconds,
    clock,
  });

  bus.handle(RegisterUser, (command) => registerUser(command, { uow, hasher, clock, ids }));
  bus.handle(ChangeEmailAddress, (command) => changeEmailAddress(command, { uow }));
  bus.handle(LogIn, (command) => logIn(command, { users, hasher, tokens }));
  deps.messaging.handlers.subscribe(
    UserAccountCreatedV1,
    { context: 'accounts', name: 'sendWelcomeEmail', inbox: 'outside' },
    sendWelcomeEmail(deps.mailer),
  );

  const authenticator: Authenticator = createAuthenticator({ tokens, users, clock });
  const currentUser = (userId: UserId) =>
    getCurrentUser({ userId }, { users, projects: deps.projectsOfUser });

  return {
    authenticator,
    routes: (auth: BearerAuthentication) =>
      accountRoutes({
        bus,
        auth,
        currentUser,
        rateLimitPerMinute: deps.authRateLimitPerMinute,
      }),
  };
}
