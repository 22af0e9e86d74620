import { beforeEach, describe, expect, test } from 'vitest';
import type { AccountsRepositories } from '../../src/accounts/application/ports.ts';
import { EmailAddressAlreadyTaken } from '../../src/accounts/domain/errors.ts';
import type { User } from '../../src/accounts/domain/user.ts';
import { ConcurrencyConflict } from '../../src/building-blocks/application/concurrency-conflict.ts';
import type { UnitOfWork } from '../../src/building-blocks/application/unit-of-work.ts';
import type { EmailAddress } from '../../src/shared-kernel/domain/email-address.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { aUser } from './users.ts';

/**
 * What every UserRepository must do, run against the in-memory fake (unit tests) and the
 * Kysely repository on each real database (integration tests), so the fake that the
 * handler tests trust behaves like the real thing.
 */
export function userRepositoryContract(
  name: string,
  makeUnitOfWork: () => Promise<UnitOfWork<AccountsRepositories>>,
) {
  describe(`UserRepository contract: ${name}`, () => {
    let uow: UnitOfWork<AccountsRepositories>;
    beforeEach(async () => {
      uow = await makeUnitOfWork();
    });

    const add = async (user: User) => {
      await uow.run(({ users }) => users.add(user));
      return user;
    };
    const findById = (id: UserId) => uow.run(({ users }) => users.findById(id));
    const findByEmail = (email: string) =>
      uow.run(({ users }) => users.findByEmail(email as EmailAddress));
    const changeEmail = (id: UserId, email: string) =>
      uow.run(async ({ users }) => {
        const user = (await users.findById(id)) as User;
        user.changeEmail(email as EmailAddress);
        await users.save(user);
      });

    test('gives back what it stored, by id and by email, at version 1', async () => {
      const user = await add(aUser('round@example.com'));

      expect(user.version, 'an added user knows the version it is stored with').toBe(1);
      expect((await findById(user.id))?.toState()).toEqual(user.toState());
      expect((await findByEmail('round@example.com'))?.toState()).toEqual(user.toState());
    });

    test('removes a user, unless they changed since they were loaded', async () => {
      const user = await add(aUser('leaving@example.com'));
      const stale = (await findById(user.id)) as User;
      await changeEmail(user.id, 'moved@example.com');

      await expect(uow.run(({ users }) => users.remove(stale))).rejects.toThrow(
        ConcurrencyConflict,
      );
      await uow.run(async ({ users }) => users.remove((await users.findById(user.id)) as User));

      expect(await findById(user.id)).toBeUndefined();
      expect(await findByEmail('moved@example.com')).toBeUndefined();
    });

    test('holds a user that exists and gives their password hash; nothing for one gone', async () => {
      const user = await add(aUser('held@example.com', '$argon2id$held'));

      expect(await uow.run(({ users }) => users.hold(user.id))).toBe('$argon2id$held');
      await uow.run(async ({ users }) => users.remove((await users.findById(user.id)) as User));
      expect(await uow.run(({ users }) => users.hold(user.id))).toBeUndefined();
    });

    test('finds nothing for an unknown id or email', async () => {
      await add(aUser('known@example.com'));

      expect(await findById(aUser('unknown@example.com').id)).toBeUndefined();
      expect(await findByEmail('unknown@example.com')).toBeUndefined();
    });

    test('refuses to add a second user with the same email', async () => {
      await add(aUser('twice@example.com'));

      await expect(add(aUser('twice@example.com'))).rejects.toThrow(EmailAddressAlreadyTaken);
    });

    test('saves a change and bumps the version', async () => {
      const user = await add(aUser('before@example.com'));

      await changeEmail(user.id, 'after@example.com');

      const saved = await findById(user.id);
      expect(saved?.email).toBe('after@example.com');
      expect(saved?.version).toBe(2);
      expect(await findByEmail('before@example.com')).toBeUndefined();
      expect((await findByEmail('after@example.com'))?.id).toBe(user.id);
    });

    test('an added user, changed and saved twice in one unit of work, is no conflict with itself', async () => {
      const user = aUser('first@example.com');

      await uow.run(async ({ users }) => {
        await users.add(user);
        expect(user.version).toBe(1);
        user.changeEmail('second@example.com' as EmailAddress);
        await users.save(user);
        user.changeEmail('third@example.com' as EmailAddress);
        await users.save(user);
        expect(user.version).toBe(3);
      });

      const saved = await findById(user.id);
      expect(saved?.email).toBe('third@example.com');
      expect(saved?.version).toBe(3);
    });

    test('refuses to save an email another user has', async () => {
      await add(aUser('bob@example.com'));
      const alice = await add(aUser('alice@example.com'));

      await expect(changeEmail(alice.id, 'bob@example.com')).rejects.toThrow(
        EmailAddressAlreadyTaken,
      );
      expect((await findById(alice.id))?.email).toBe('alice@example.com');
    });

    test('refuses to save over a newer version', async () => {
      const user = await add(aUser('stale@example.com'));
      const stale = (await findById(user.id)) as User;
      await changeEmail(user.id, 'fresh@example.com');

      stale.changeEmail('stale-wins@example.com' as EmailAddress);

      await expect(uow.run(({ users }) => users.save(stale))).rejects.toThrow(ConcurrencyConflict);
      expect((await findById(user.id))?.email).toBe('fresh@example.com');
    });

    test('a unit of work that throws leaves nothing behind', async () => {
      const user = aUser('rolled-back@example.com');

      await expect(
        uow.run(async ({ users }) => {
          await users.add(user);
          throw new Error('a later step failed');
        }),
      ).rejects.toThrow('a later step failed');

      expect(await findById(user.id)).toBeUndefined();
      expect(await findByEmail('rolled-back@example.com')).toBeUndefined();
    });
  });
}
