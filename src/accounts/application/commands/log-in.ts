import { commandType } from '../../../building-blocks/application/message-bus.ts';
import {
  InvalidEmailAddress,
  parseEmailAddress,
} from '../../../shared-kernel/domain/email-address.ts';
import { InvalidCredentials } from '../../domain/errors.ts';
import { normalisePassword } from '../../domain/password.ts';
import type { AccessToken, AccessTokens, PasswordHasher } from '../ports.ts';
import type { UserReadModel } from '../queries/user-read-model.ts';

export interface LogIn {
  email: string;
  password: string;
}

export const LogIn = commandType<LogIn, AccessToken>('accounts.LogIn');

export interface LogInDeps {
  users: UserReadModel;
  hasher: PasswordHasher;
  tokens: AccessTokens;
}

/**
 * Exchanges credentials for an access token. Every failure (malformed or unknown email,
 * wrong password) gives the same error after the same amount of hashing work.
 */
export async function logIn(
  command: LogIn,
  { users, hasher, tokens }: LogInDeps,
): Promise<AccessToken> {
  const credentials = await findCredentials(command.email, users);
  const matches = await hasher.verify(
    normalisePassword(command.password),
    credentials?.passwordHash,
  );
  if (!credentials || !matches) throw new InvalidCredentials();
  return tokens.issue(credentials.userId);
}

async function findCredentials(email: string, users: UserReadModel) {
  try {
    return await users.findCredentials(parseEmailAddress(email));
  } catch (error) {
    if (error instanceof InvalidEmailAddress) return undefined;
    throw error;
  }
}
