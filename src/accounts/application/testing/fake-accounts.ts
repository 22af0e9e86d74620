import { FakeUnitOfWork } from '../../../building-blocks/application/testing/fake-unit-of-work.ts';
import { FixedClock } from '../../../building-blocks/application/testing/fixed-clock.ts';
import { SequentialIds } from '../../../building-blocks/application/testing/sequential-ids.ts';
import type { AccountsRepositories } from '../ports.ts';
import { FakeAccessTokens } from './fake-access-tokens.ts';
import { FakePasswordHasher } from './fake-password-hasher.ts';
import {
  InMemoryUserReadModel,
  InMemoryUserRepository,
  InMemoryUserStore,
} from './in-memory-users.ts';

/** Every port of `accounts`, faked and wired together, for unit tests of its use cases. */
export function fakeAccounts() {
  const store = new InMemoryUserStore();
  const uow = new FakeUnitOfWork<AccountsRepositories>({
    stores: [store],
    repositories: (tracker) => ({ users: new InMemoryUserRepository(store, tracker) }),
  });
  return {
    store,
    uow,
    users: new InMemoryUserReadModel(store),
    hasher: new FakePasswordHasher(),
    tokens: new FakeAccessTokens(),
    clock: new FixedClock(),
    ids: new SequentialIds(),
    /** A few of the real list's entries. */
    commonPasswords: new Set(['password', '12345678', 'password1', 'qwertyuiop']),
  };
}
