import { randomUUID } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deleteAccount } from '../../src/accounts/application/commands/delete-account.ts';
import { LoginThrottle } from '../../src/accounts/application/login-throttle.ts';
import { FakePasswordHasher } from '../../src/accounts/application/testing/fake-password-hasher.ts';
import { InMemoryLoginAttempts } from '../../src/accounts/application/testing/in-memory-login-attempts.ts';
import {
  type RefreshTokenHash,
  Session,
  type SessionId,
} from '../../src/accounts/domain/session.ts';
import type { User } from '../../src/accounts/domain/user.ts';
import type { AccountsTables } from '../../src/accounts/infrastructure/tables.ts';
import { migrations } from '../../src/app.ts';
import { FixedClock } from '../../src/building-blocks/application/testing/fixed-clock.ts';
import type {
  Database,
  SqlTransaction,
} from '../../src/building-blocks/infrastructure/database/database.ts';
import { migrateToLatest } from '../../src/building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { WITH_LOCKS } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import { deleteProjectsOfOwner } from '../../src/projects/application/commands/delete-projects-of-owner.ts';
import { exampleProject } from '../../src/projects/domain/example-project.ts';
import { NOW } from '../../src/projects/domain/testing/project-builder.ts';
import { KyselyProjectRepository } from '../../src/projects/infrastructure/kysely-project-repository.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { aUser } from '../contracts/users.ts';
import { accountsUnitOfWork } from '../support/accounts-unit-of-work.ts';
import { projectsUnitOfWork } from '../support/projects-unit-of-work.ts';
import { freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

/**
 * Races between two connections, run step by step: what PostgreSQL's row locks (taken by the
 * repositories) decide when a deletion meets a creation or a login. SQLite runs one write
 * transaction at a time, so there is nothing to race.
 */

/** A promise and the function that settles it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Whether `promise` settles within `ms`: false while it waits for a lock. */
function settledWithin(promise: Promise<unknown>, ms: number) {
  return Promise.race([
    promise.then(() => true),
    new Promise((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

/**
 * Two connections (pools of one) to one fresh, migrated database, opened before the suite's
 * tests and dropped after them.
 */
function twoConnections(): { first: Database; second: Database } {
  const connections = {} as { first: Database; second: Database };
  let drop = async () => {};
  beforeAll(async () => {
    const fresh = await freshDatabase();
    const first = openDatabase(fresh.url, { poolSize: 1, readConnections: 1 });
    const second = openDatabase(fresh.url, { poolSize: 1, readConnections: 1 });
    await migrateToLatest(first, ...migrations);
    Object.assign(connections, { first, second });
    drop = async () => {
      await first.close();
      await second.close();
      await fresh.drop();
    };
  });
  afterAll(() => drop());
  return connections;
}

describe.runIf(TEST_DIALECT === 'postgres')('owners on PostgreSQL', () => {
  const connections = twoConnections();

  const deleteAccount = (ownerId: UserId) =>
    deleteProjectsOfOwner(
      { ownerId },
      { uow: projectsUnitOfWork(connections.second), clock: new FixedClock() },
    );
  const projectsOf = async (ownerId: UserId) =>
    (
      await connections.first.kysely
        .withTables<ProjectsTables>()
        .selectFrom('projects.projects')
        .select('id')
        .where('owner_id', '=', ownerId)
        .execute()
    ).length;

  // A new owner's row is being inserted (its key is what the deletion waits on); a known
  // owner's row exists, and the share lock is what it waits on.
  test.each(['new', 'known'])(
    'a creation admitted first is waited for, then removed with the rest (%s owner)',
    async (kind) => {
      const owner = randomUUID() as UserId;
      if (kind === 'known')
        await projectsUnitOfWork(connections.first).run(({ owners }) => owners.admit(owner));
      const admitted = gate();
      const goOn = gate();
      const creation = projectsUnitOfWork(connections.first).run(async ({ owners, projects }) => {
        expect(await owners.admit(owner)).toBe(true);
        admitted.open();
        await goOn.opened;
        await projects.add(
          exampleProject({ id: await projects.nextId(), ownerId: owner, registeredAt: NOW }),
        );
      });
      await admitted.opened;

      const deletion = deleteAccount(owner);
      expect(await settledWithin(deletion, 500)).toBe(false); // waiting for the creation
      goOn.open();
      await Promise.all([creation, deletion]);

      expect(await projectsOf(owner)).toBe(0);
    },
  );

  test('a creation that comes while the owner is being retired waits, then is refused', async () => {
    const owner = randomUUID() as UserId;
    const retiring = gate();
    const goOn = gate();
    const retirement = projectsUnitOfWork(connections.second).run(async ({ owners }) => {
      await owners.retire(owner, NOW);
      retiring.open();
      await goOn.opened;
    });
    await retiring.opened;

    const admission = projectsUnitOfWork(connections.first).run(({ owners }) =>
      owners.admit(owner),
    );
    expect(await settledWithin(admission, 500)).toBe(false); // waiting for the retirement
    goOn.open();
    await retirement;

    expect(await admission).toBe(false);
  });
});

describe.runIf(TEST_DIALECT === 'postgres')('commands on one project on PostgreSQL', () => {
  const connections = twoConnections();

  /** A project of `owner` with its example tasks (1 to 3). */
  const aProject = async (owner: UserId) =>
    projectsUnitOfWork(connections.first).run(async ({ owners, projects }) => {
      await owners.admit(owner);
      const id = await projects.nextId();
      await projects.add(exampleProject({ id, ownerId: owner, registeredAt: NOW }));
      return id;
    });
  const run =
    (text: string, ...parameters: unknown[]) =>
    (tx: SqlTransaction) =>
      tx.execute(CompiledQuery.raw(text, parameters));
  const deadlocks = async () => {
    const { rows } = await connections.first.kysely.executeQuery<{ deadlocks: string }>(
      CompiledQuery.raw(
        'select deadlocks from pg_stat_database where datname = current_database()',
      ),
    );
    return Number(rows[0]?.deadlocks);
  };

  // A command that lost a race runs again holding the project (ADR 9). Meanwhile the losing
  // attempt of another may still be inserting the task number it picked, and that insert's
  // foreign-key check locks the project row too (FOR KEY SHARE). Held FOR UPDATE, the project
  // made the two wait for each other: a deadlock, broken after a second, dozens a second under
  // load. FOR NO KEY UPDATE (what an UPDATE of the row takes anyway) lets the check through.
  test('a command holding its project does not hold up the foreign-key check of a task insert', async () => {
    const owner = randomUUID() as UserId;
    const id = await aProject(owner);
    const holding = gate();
    const goOn = gate();
    const holder = connections.second.transaction(async (tx) => {
      const projects = new KyselyProjectRepository(tx, { track: () => {} }, WITH_LOCKS);
      await projects.findOwned(id, owner, { withTask: 1 });
      holding.open();
      await goOn.opened;
    });
    await holding.opened;

    const insert = connections.first.transaction(
      run(
        "insert into projects.tasks (project_id, number, name, created_at) values ($1, 99, 'Stale attempt', now())",
        id,
      ),
    );

    expect(await settledWithin(insert, 500)).toBe(true);
    goOn.open();
    await holder;
  });

  // Every command locks its project row, then its task rows. The deletion of an account's
  // projects deleted the tasks first, then the projects: the opposite order, a deadlock with
  // any command running on one of them.
  test('deleting the projects of an account takes the locks in the order commands do: no deadlock', async () => {
    const owner = randomUUID() as UserId;
    const id = await aProject(owner);
    const before = await deadlocks();
    const projectHeld = gate();
    const goOn = gate();
    const command = connections.first.transaction(async (tx) => {
      await run('update projects.projects set version = version + 1 where id = $1', id)(tx);
      projectHeld.open();
      await goOn.opened;
      await run(
        'update projects.tasks set completed_at = now() where project_id = $1 and number = 1',
        id,
      )(tx);
    });
    await projectHeld.opened;

    let attempts = 0;
    const deletion = deleteProjectsOfOwner(
      { ownerId: owner },
      {
        uow: projectsUnitOfWork(connections.second, { onAttempt: () => attempts++ }),
        clock: new FixedClock(),
      },
    );
    expect(await settledWithin(deletion, 500)).toBe(false); // waiting for the command
    goOn.open();
    await Promise.all([command, deletion]);

    // Neither was the victim of a deadlock: the command went through, the deletion at its
    // first attempt (a victim deletion would have been run again).
    expect(attempts).toBe(1);
    expect(await deadlocks()).toBe(before);
  });
});

describe.runIf(TEST_DIALECT === 'postgres')(
  'a login racing an account deletion on PostgreSQL',
  () => {
    const connections = twoConnections();

    const deleteTheAccount = (userId: UserId) =>
      deleteAccount(
        { userId, password: 'the password' },
        {
          uow: accountsUnitOfWork(connections.second),
          hasher: new FakePasswordHasher(),
          clock: new FixedClock(),
          throttle: new LoginThrottle(new InMemoryLoginAttempts(), new FixedClock(), {
            failuresBeforeDelay: 5,
            maxDelayMs: 1000,
            forgetAfterMs: 60_000,
          }),
        },
      );
    const sessionOf = (userId: UserId) =>
      Session.start({
        id: randomUUID() as SessionId,
        userId,
        refreshTokenHash: randomUUID() as RefreshTokenHash,
        now: NOW,
        lifetimes: { absoluteSeconds: 3600, idleSeconds: 600 },
        clientAddress: '::1',
        userAgent: 'test',
      });
    const sessionsOf = async (userId: UserId) =>
      (
        await connections.first.kysely
          .withTables<AccountsTables>()
          .selectFrom('accounts.sessions')
          .select('id')
          .where('user_id', '=', userId)
          .execute()
      ).length;

    test('a login that holds the user first is waited for, and its session removed with the rest', async () => {
      const user = aUser(`${randomUUID()}@example.com`, 'hashed:the password');
      await accountsUnitOfWork(connections.first).run(({ users }) => users.add(user));
      const held = gate();
      const goOn = gate();
      const login = accountsUnitOfWork(connections.first).run(async ({ users, sessions }) => {
        expect(await users.hold(user.id)).toBe('hashed:the password');
        held.open();
        await goOn.opened;
        await sessions.add(sessionOf(user.id));
      });
      await held.opened;

      const deletion = deleteTheAccount(user.id);
      expect(await settledWithin(deletion, 500)).toBe(false); // waiting for the login
      goOn.open();
      await Promise.all([login, deletion]);

      expect(await sessionsOf(user.id)).toBe(0);
    });

    test('a login that comes while the account is being deleted waits, then finds no user', async () => {
      const user = aUser(`${randomUUID()}@example.com`);
      await accountsUnitOfWork(connections.first).run(({ users }) => users.add(user));
      const removing = gate();
      const goOn = gate();
      const removal = accountsUnitOfWork(connections.second).run(async ({ users }) => {
        await users.remove((await users.findById(user.id)) as User);
        removing.open();
        await goOn.opened;
      });
      await removing.opened;

      const holding = accountsUnitOfWork(connections.first).run(({ users }) => users.hold(user.id));
      expect(await settledWithin(holding, 500)).toBe(false); // waiting for the deletion
      goOn.open();
      await removal;

      expect(await holding).toBeUndefined();
    });
  },
);
