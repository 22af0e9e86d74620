import { registerUser } from '../commands/register-user.ts';
import type { fakeAccounts } from './fake-accounts.ts';

/** Registers a user through the real handler, as the first step of a test. */
export function register(
  deps: ReturnType<typeof fakeAccounts>,
  email = 'alice@example.com',
  password = 'correct horse',
) {
  return registerUser({ email, password }, deps);
}
