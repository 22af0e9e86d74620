import { AggregateRoot } from '../../building-blocks/domain/aggregate-root.ts';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import { UserAccountCreated } from '../../shared-kernel/domain/user-account-created.ts';
import { UserAccountDeleted } from '../../shared-kernel/domain/user-account-deleted.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { PasswordHash } from './password.ts';

/** Everything a User is made of, as a repository stores and restores it. */
export interface UserState {
  id: UserId;
  email: EmailAddress;
  passwordHash: PasswordHash;
  createdAt: Date;
  version: number;
}

/** A person who can sign in. Email uniqueness is checked by the use case (and the database). */
export class User extends AggregateRoot<UserId, UserAccountCreated | UserAccountDeleted> {
  #email: EmailAddress;
  #passwordHash: PasswordHash;
  readonly createdAt: Date;

  private constructor(state: UserState) {
    super(state.id, state.version);
    this.#email = state.email;
    this.#passwordHash = state.passwordHash;
    this.createdAt = state.createdAt;
  }

  /** A new account; announces itself with `UserAccountCreated`. */
  static register(props: {
    id: UserId;
    email: EmailAddress;
    passwordHash: PasswordHash;
    now: Date;
  }): User {
    const user = new User({ ...props, createdAt: props.now, version: 0 });
    user.record(
      UserAccountCreated.create({
        userId: props.id,
        email: props.email,
        occurredAt: props.now.toISOString(),
      }),
    );
    return user;
  }

  /** Rebuilds a stored user; raises no events. */
  static restore(state: UserState): User {
    return new User(state);
  }

  get email(): EmailAddress {
    return this.#email;
  }

  get passwordHash(): PasswordHash {
    return this.#passwordHash;
  }

  changeEmail(email: EmailAddress): void {
    this.#email = email;
  }

  changePassword(passwordHash: PasswordHash): void {
    this.#passwordHash = passwordHash;
  }

  /** The person leaves: announces it with `UserAccountDeleted`; the repository removes them. */
  delete(now: Date): void {
    this.record(UserAccountDeleted.create({ userId: this.id, occurredAt: now.toISOString() }));
  }

  toState(): UserState {
    return {
      id: this.id,
      email: this.#email,
      passwordHash: this.#passwordHash,
      createdAt: this.createdAt,
      version: this.version,
    };
  }
}
