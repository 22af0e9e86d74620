import { FakeUnitOfWork } from '../../../building-blocks/application/testing/fake-unit-of-work.ts';
import { FixedClock } from '../../../building-blocks/application/testing/fixed-clock.ts';
import { SequentialIds } from '../../../building-blocks/application/testing/sequential-ids.ts';
import { LoginThrottle } from '../login-throttle.ts';
import type { AccountsRepositories } from '../ports.ts';
import { FakeAccessTokens, SequentialRefreshTokens } from './fake-access-tokens.ts';
import { FakePasswordHasher } from './fake-password-hasher.ts';
import { InMemoryLoginAttempts } from './in-memory-login-attempts.ts';
import {
  InMemorySessionReadModel,
  InMemorySessionRepository,
  InMemorySessionStore,
} from './in-memory-sessions.ts';
import {
  InMemoryUserReadModel,
  InMemoryUserRepository,
  InMemoryUserStore,
} from './in-memory-users.ts';

/** Every port of `accounts`, faked and wired together, for unit tests of its use cases. */
export function fakeAccounts() {
  const store = new InMemoryUserStore();
  const sessionStore = new InMemorySessionStore();
  const uow = new FakeUnitOfWork<AccountsRepositories>({
    stores: [store, sessionStore],
    repositories: (tracker) => ({
      users: new InMemoryUserRepository(store, tracker),
      sessions: new InMemorySessionRepository(sessionStore, tracker),
    }),
  });
  const clock = new FixedClock();
  const loginAttempts = new InMemoryLoginAttempts();
  return {
    store,
    sessionStore,
    uow,
    users: new InMemoryUserReadModel(store),
    sessions: new InMemorySessionReadModel(sessionStore),
    refreshTokens: new SequentialRefreshTokens(),
    lifetimes: { absoluteSeconds: 30 * 86_400, idleSeconds: 7 * 86_400 },
    hasher: new FakePasswordHasher(),
    tokens: new FakeAccessTokens(),
    clock,
    loginAttempts,
    /** Three attempts in a row are free; then 1 s, 2 s, ... up to a minute. */
    throttle: new LoginThrottle(loginAttempts, clock, {
      failuresBeforeDelay: 3,
      maxDelayMs: 60_000,
      forgetAfterMs: 15 * 60_000,
    }),
    ids: new SequentialIds(),
    /** A few of the real list's entries. */
    commonPasswords: new Set(['password', '12345678', 'password1', 'qwertyuiop']),
  };
}
