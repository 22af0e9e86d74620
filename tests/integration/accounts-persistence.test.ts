import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { logIn } from '../../src/accounts/application/commands/log-in.ts';
import type { AccountsRepositories } from '../../src/accounts/application/ports.ts';
import { fakeAccounts } from '../../src/accounts/application/testing/fake-accounts.ts';
import { EmailAddressAlreadyTaken, InvalidCredentials } from '../../src/accounts/domain/errors.ts';
import type { Password, PasswordHash } from '../../src/accounts/domain/password.ts';
import { User } from '../../src/accounts/domain/user.ts';
import { randomRefreshTokens } from '../../src/accounts/infrastructure/random-refresh-tokens.ts';
import { SqlSessionReadModel } from '../../src/accounts/infrastructure/sql-session-read-model.ts';
import { SqlUserReadModel } from '../../src/accounts/infrastructure/sql-user-read-model.ts';
import type { AccountsTables } from '../../src/accounts/infrastructure/tables.ts';
import { migrations } from '../../src/app.ts';
import { ConcurrencyConflict } from '../../src/building-blocks/application/concurrency-conflict.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import {
  checkSchema,
  migrateToLatest,
} from '../../src/building-blocks/infrastructure/database/migrations.ts';
import type { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import { uuidV7, uuidV7Ids } from '../../src/building-blocks/infrastructure/uuid-v7.ts';
import type { OutboxMessage } from '../../src/building-blocks/messaging/outbox-message.ts';
import type { EmailAddress } from '../../src/shared-kernel/domain/email-address.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { accountsUnitOfWork } from '../support/accounts-unit-of-work.ts';
import { openTestDatabase } from '../support/test-database.ts';

let database: Database;
let drop: () => Promise<void>;
const published: OutboxMessage[] = [];
let uow: KyselyUnitOfWork<AccountsTables, AccountsRepositories>;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  uow = accountsUnitOfWork(database, published);
});
afterAll(() => drop());

const newUser = (email: string, passwordHash = '$argon2id$test' as PasswordHash) =>
  User.register({
    id: uuidV7() as UserId,
    email: email as EmailAddress,
    passwordHash,
    now: new Date('2026-01-02T03:04:05.000Z'),
  });

describe('KyselyUserRepository and the unit of work', () => {
  test('stores a user and finds it by id and by email', async () => {
    published.length = 0;
    const user = newUser('round@example.com');

    await uow.run(({ users }) => users.add(user));

    const byId = await uow.run(({ users }) => users.findById(user.id));
    const byEmail = await uow.run(({ users }) => users.findByEmail(user.email));
    expect(byId?.toState()).toEqual({ ...user.toState(), version: 1 });
    expect(byEmail?.id).toBe(user.id);
    expect(published.map((event) => event.type)).toEqual(['accounts.UserAccountCreated']);
  });

  test('the database refuses a second user with the same email', async () => {
    await uow.run(({ users }) => users.add(newUser('twice@example.com')));

    await expect(uow.run(({ users }) => users.add(newUser('twice@example.com')))).rejects.toThrow(
      EmailAddressAlreadyTaken,
    );
  });

  test('a unit of work that throws writes nothing and publishes nothing', async () => {
    published.length = 0;
    const user = newUser('rolled-back@example.com');

    await expect(
      uow.run(async ({ users }) => {
        await users.add(user);
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');

    expect(await uow.run(({ users }) => users.findById(user.id))).toBeUndefined();
    expect(published).toEqual([]);
  });

  test('saving a user loaded before someone else saved it is a conflict', async () => {
    const user = newUser('stale@example.com');
    await uow.run(({ users }) => users.add(user));
    const stale = (await uow.run(({ users }) => users.findById(user.id))) as User;
    await uow.run(async ({ users }) => {
      const fresh = (await users.findById(user.id)) as User;
      fresh.changeEmail('fresh@example.com' as EmailAddress);
      await users.save(fresh);
    });

    stale.changeEmail('stale-wins@example.com' as EmailAddress);

    await expect(uow.run(({ users }) => users.save(stale))).rejects.toThrow(ConcurrencyConflict);
    expect((await uow.run(({ users }) => users.findById(user.id)))?.email).toBe(
      'fresh@example.com',
    );
  });
});

describe('SqlUserReadModel', () => {
  test('finds a user and their credentials', async () => {
    const user = newUser('reader@example.com');
    await uow.run(({ users }) => users.add(user));
    const readModel = new SqlUserReadModel(database.reads);

    expect(await readModel.findUser(user.id)).toEqual({ id: user.id, email: 'reader@example.com' });
    expect(await readModel.findCredentials(user.email)).toEqual({
      userId: user.id,
      passwordHash: '$argon2id$test',
    });
    expect(await readModel.findUser(uuidV7() as UserId)).toBeUndefined();
  });
});

describe('logIn on the database', () => {
  /** `logIn` with this database's unit of work and read model; the rest faked. */
  async function withAnAccount(email: string) {
    const deps = {
      ...fakeAccounts(),
      uow,
      users: new SqlUserReadModel(database.reads),
      ids: uuidV7Ids,
      refreshTokens: randomRefreshTokens,
    };
    const user = newUser(email, await deps.hasher.hash('correct horse' as Password));
    await uow.run(({ users }) => users.add(user));
    const sessionsOfTheUser = () =>
      new SqlSessionReadModel(database.reads).activeSessionsOf(user.id, deps.clock.now());
    const credentials = {
      email: user.email,
      password: 'correct horse',
      clientAddress: '192.0.2.1',
      userAgent: 'test',
    };
    return { deps, user, credentials, sessionsOfTheUser };
  }

  test('starts a session that is stored', async () => {
    const { deps, credentials, sessionsOfTheUser } = await withAnAccount(
      'stored-session@example.com',
    );

    await logIn(credentials, deps);

    expect(await sessionsOfTheUser()).toHaveLength(1);
  });

  test('a password changed while it was checked: refused, and no session is left behind', async () => {
    const { deps, user, credentials, sessionsOfTheUser } = await withAnAccount(
      'changed-meanwhile@example.com',
    );
    const verify = deps.hasher.verify.bind(deps.hasher);
    deps.hasher.verify = async (password, hash) => {
      const matches = await verify(password, hash);
      const newHash = await deps.hasher.hash('a brand new password' as Password);
      await uow.run(async ({ users }) => {
        const found = (await users.findById(user.id)) as User;
        found.changePassword(newHash);
        await users.save(found);
      });
      return matches;
    };

    await expect(logIn(credentials, deps)).rejects.toThrow(InvalidCredentials);

    expect(await sessionsOfTheUser()).toEqual([]);
  });
});

describe('migrations', () => {
  test('running them again applies nothing', async () => {
    expect(await migrateToLatest(database, ...migrations)).toEqual({ applied: [], unknown: [] });
  });

  test('a database a newer version migrated is left as it is; one that matches no version is refused, in one sentence', async () => {
    const fresh = await openTestDatabase();
    const all = Object.assign({}, ...migrations);
    const names = Object.keys(all).sort();
    const newest = names.at(-1) as string;
    const withoutNewest = Object.fromEntries(names.slice(0, -1).map((name) => [name, all[name]]));
    try {
      await migrateToLatest(fresh.database, ...migrations);
      await sql`insert into schema_migrations (name, timestamp) values ('29991231-01-from-the-future', '2999-12-31T00:00:00.000Z')`.execute(
        fresh.database.kysely,
      );

      // An older instance restarting during a rolling upgrade: all its migrations have run.
      expect(await migrateToLatest(fresh.database, withoutNewest)).toEqual({
        applied: [],
        unknown: [newest, '29991231-01-from-the-future'],
      });
      // Behind by one migration and ahead by another: no version fits this database.
      await sql`delete from schema_migrations where name = ${newest}`.execute(
        fresh.database.kysely,
      );
      await expect(migrateToLatest(fresh.database, ...migrations)).rejects.toThrow(
        `The database was migrated by another version of the service (29991231-01-from-the-future unknown here) and lacks ${newest} of this one: run the version that matches it.`,
      );
      // A process that does not migrate is told the same.
      await expect(checkSchema(fresh.database, ...migrations)).rejects.toThrow(
        'run the version that matches it',
      );
    } finally {
      await fresh.drop();
    }
  });

  test('without migrating (RUN_MIGRATIONS_ON_START=false): a schema that lacks a migration is refused, a newer one taken as it is', async () => {
    const fresh = await openTestDatabase();
    const all = Object.assign({}, ...migrations);
    const names = Object.keys(all).sort();
    const withoutNewest = Object.fromEntries(names.slice(0, -1).map((name) => [name, all[name]]));
    try {
      expect(await checkSchema(fresh.database, ...migrations)).toEqual({
        applied: [],
        unknown: [],
      });
      expect(await checkSchema(fresh.database, withoutNewest)).toEqual({
        applied: [],
        unknown: [names.at(-1)],
      });
      await sql`delete from schema_migrations where name = ${names.at(-1) as string}`.execute(
        fresh.database.kysely,
      );
      await expect(checkSchema(fresh.database, ...migrations)).rejects.toThrow(
        `The database lacks 1 migration(s) of this version (${names.at(-1)}) and RUN_MIGRATIONS_ON_START=false: run \`npm run migrate\` first.`,
      );
    } finally {
      await fresh.drop();
    }
  });
});
