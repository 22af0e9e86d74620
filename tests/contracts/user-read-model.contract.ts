import { beforeEach, describe, expect, test } from 'vitest';
import type { AccountsRepositories } from '../../src/accounts/application/ports.ts';
import type { UserReadModel } from '../../src/accounts/application/queries/user-read-model.ts';
import type { User } from '../../src/accounts/domain/user.ts';
import type { UnitOfWork } from '../../src/building-blocks/application/unit-of-work.ts';
import type { EmailAddress } from '../../src/shared-kernel/domain/email-address.ts';
import { aUser } from './users.ts';

/** The users a read model sees are written through the repository of the same kind. */
export interface UserReadModelUnderTest {
  uow: UnitOfWork<AccountsRepositories>;
  readModel: UserReadModel;
}

/**
 * What every UserReadModel must answer, run against the in-memory fake (unit tests) and the
 * SQL read model on each real database (integration tests).
 */
export function userReadModelContract(name: string, make: () => Promise<UserReadModelUnderTest>) {
  describe(`UserReadModel contract: ${name}`, () => {
    let uow: UnitOfWork<AccountsRepositories>;
    let readModel: UserReadModel;
    let alice: User;
    beforeEach(async () => {
      ({ uow, readModel } = await make());
      alice = aUser('alice@example.com', '$argon2id$alice');
      await uow.run(async ({ users }) => {
        await users.add(alice);
        await users.add(aUser('bob@example.com', '$argon2id$bob'));
      });
    });

    test('finds a user’s id and email, and nothing else', async () => {
      expect(await readModel.findUser(alice.id)).toEqual({
        id: alice.id,
        email: 'alice@example.com',
      });
    });

    test('finds no user for an unknown id', async () => {
      expect(await readModel.findUser(aUser('nobody@example.com').id)).toBeUndefined();
    });

    test('finds the credentials of an email', async () => {
      expect(await readModel.findCredentials('alice@example.com' as EmailAddress)).toEqual({
        userId: alice.id,
        passwordHash: '$argon2id$alice',
      });
      expect(await readModel.findCredentials('nobody@example.com' as EmailAddress)).toBeUndefined();
    });

    test('sees a changed email', async () => {
      await uow.run(async ({ users }) => {
        const user = (await users.findById(alice.id)) as User;
        user.changeEmail('alice@example.org' as EmailAddress);
        await users.save(user);
      });

      expect((await readModel.findUser(alice.id))?.email).toBe('alice@example.org');
      expect(await readModel.findCredentials('alice@example.com' as EmailAddress)).toBeUndefined();
      expect((await readModel.findCredentials('alice@example.org' as EmailAddress))?.userId).toBe(
        alice.id,
      );
    });
  });
}
