import { ConcurrencyConflict } from '../../../building-blocks/application/concurrency-conflict.ts';
import { InMemoryStore } from '../../../building-blocks/application/testing/in-memory-store.ts';
import type { AggregateTracker } from '../../../building-blocks/application/unit-of-work.ts';
import type { EmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { EmailAddressAlreadyTaken } from '../../domain/errors.ts';
import type { PasswordHash } from '../../domain/password.ts';
import { User, type UserState } from '../../domain/user.ts';
import type { UserRepository } from '../ports.ts';
import type { UserReadModel } from '../queries/user-read-model.ts';

/** The users table of the unit tests. */
export class InMemoryUserStore extends InMemoryStore<UserId, UserState> {}

/** Fake of `UserRepository` with the real one's rules: unique email, optimistic versions. */
export class InMemoryUserRepository implements UserRepository {
  readonly #store: InMemoryUserStore;
  readonly #tracker: AggregateTracker;

  constructor(store: InMemoryUserStore, tracker: AggregateTracker) {
    this.#store = store;
    this.#tracker = tracker;
  }

  async findById(id: UserId): Promise<User | undefined> {
    return this.#load(this.#store.get(id));
  }

  async hold(id: UserId): Promise<PasswordHash | undefined> {
    return this.#store.get(id)?.passwordHash;
  }

  async findByEmail(email: EmailAddress): Promise<User | undefined> {
    return this.#load(this.#store.values().find((user) => user.email === email));
  }

  async add(user: User): Promise<void> {
    if (this.#store.values().some((stored) => stored.email === user.email)) {
      throw new EmailAddressAlreadyTaken();
    }
    this.#store.set(user.id, { ...user.toState(), version: 1 });
    user.markStored(1);
    this.#tracker.track(user);
  }

  async save(user: User): Promise<void> {
    const stored = this.#store.get(user.id);
    if (stored?.version !== user.version) throw new ConcurrencyConflict('The user');
    if (this.#store.values().some((other) => other.email === user.email && other.id !== user.id)) {
      throw new EmailAddressAlreadyTaken();
    }
    this.#store.set(user.id, { ...user.toState(), version: user.version + 1 });
    user.markStored(user.version + 1);
    this.#tracker.track(user);
  }

  async remove(user: User): Promise<void> {
    const stored = this.#store.get(user.id);
    if (stored?.version !== user.version) throw new ConcurrencyConflict('The user');
    this.#store.delete(user.id);
    this.#tracker.track(user);
  }

  #load(state: UserState | undefined): User | undefined {
    if (!state) return undefined;
    const user = User.restore(state);
    this.#tracker.track(user);
    return user;
  }
}

export class InMemoryUserReadModel implements UserReadModel {
  readonly #store: InMemoryUserStore;

  constructor(store: InMemoryUserStore) {
    this.#store = store;
  }

  async findUser(id: UserId) {
    const user = this.#store.get(id);
    return user && { id: user.id, email: user.email };
  }

  async findCredentials(email: EmailAddress) {
    const user = this.#store.values().find((stored) => stored.email === email);
    return user && { userId: user.id, passwordHash: user.passwordHash };
  }
}
