import { userReadModelContract } from '../../../../tests/contracts/user-read-model.contract.ts';
import { userRepositoryContract } from '../../../../tests/contracts/user-repository.contract.ts';
import { FakeUnitOfWork } from '../../../building-blocks/application/testing/fake-unit-of-work.ts';
import type { AccountsRepositories } from '../ports.ts';
import { InMemorySessionRepository, InMemorySessionStore } from './in-memory-sessions.ts';
import {
  InMemoryUserReadModel,
  InMemoryUserRepository,
  InMemoryUserStore,
} from './in-memory-users.ts';

const fakes = () => {
  const store = new InMemoryUserStore();
  const uow = new FakeUnitOfWork<AccountsRepositories>({
    stores: [store],
    repositories: (tracker) => ({
      users: new InMemoryUserRepository(store, tracker),
      sessions: new InMemorySessionRepository(new InMemorySessionStore(), tracker),
    }),
  });
  return { uow, readModel: new InMemoryUserReadModel(store) };
};

userRepositoryContract('in-memory fake', async () => fakes().uow);
userReadModelContract('in-memory fake', async () => fakes());
