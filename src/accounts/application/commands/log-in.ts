import type { Clock } from '../../../building-blocks/application/clock.ts';
import type { IdGenerator } from '../../../building-blocks/application/id-generator.ts';
import { commandType } from '../../../building-blocks/application/message-bus.ts';
import {
  InvalidEmailAddress,
  parseEmailAddress,
} from '../../../shared-kernel/domain/email-address.ts';
import { InvalidCredentials } from '../../domain/errors.ts';
import { normalisePassword } from '../../domain/password.ts';
import { Session, type SessionId, type SessionLifetimes } from '../../domain/session.ts';
import type {
  AccessTokens,
  AccountsUnitOfWork,
  PasswordHasher,
  RefreshTokens,
  TokenPair,
} from '../ports.ts';
import type { UserReadModel } from '../queries/user-read-model.ts';

export interface LogIn {
  email: string;
  password: string;
  /** As the HTTP edge saw them, kept with the session for its owner's list. */
  clientAddress: string;
  userAgent: string;
}

export const LogIn = commandType<LogIn, TokenPair>('accounts.LogIn');

export interface LogInDeps {
  users: UserReadModel;
  hasher: PasswordHasher;
  tokens: AccessTokens;
  refreshTokens: RefreshTokens;
  uow: AccountsUnitOfWork;
  clock: Clock;
  ids: IdGenerator;
  lifetimes: SessionLifetimes;
}

/**
 * Exchanges credentials for a new session: an access token and a refresh token. Every
 * failure (malformed or unknown email, wrong password) gives the same error after the same
 * amount of hashing work. The hashing runs before the unit of work, so no transaction waits
 * for it.
 */
export async function logIn(command: LogIn, deps: LogInDeps): Promise<TokenPair> {
  const credentials = await findCredentials(command.email, deps.users);
  const matches = await deps.hasher.verify(
    normalisePassword(command.password),
    credentials?.passwordHash,
  );
  if (!credentials || !matches) throw new InvalidCredentials();

  const refresh = deps.refreshTokens.generate();
  const session = Session.start({
    id: deps.ids.next() as SessionId,
    userId: credentials.userId,
    refreshTokenHash: refresh.hash,
    now: deps.clock.now(),
    lifetimes: deps.lifetimes,
    clientAddress: command.clientAddress,
    userAgent: command.userAgent,
  });
  await deps.uow.run(async ({ users, sessions }) => {
    // The account may have been deleted, or its password changed, while the password was
    // being checked, or be being so now: a session must not outlive either (the change
    // waits for this unit, then ends the session with the others). The session is written
    // behind the hold without waiting for its answer (one round trip, not two): it is
    // written under the hold all the same, and rolled back with the unit if the check fails.
    const [passwordHash] = await Promise.all([
      users.hold(credentials.userId),
      sessions.add(session),
    ]);
    if (passwordHash !== credentials.passwordHash) throw new InvalidCredentials();
  });
  const access = await deps.tokens.issue({ userId: credentials.userId, sessionId: session.id });
  return { ...access, refreshToken: refresh.token };
}

async function findCredentials(email: string, users: UserReadModel) {
  try {
    return await users.findCredentials(parseEmailAddress(email));
  } catch (error) {
    if (error instanceof InvalidEmailAddress) return undefined;
    throw error;
  }
}
