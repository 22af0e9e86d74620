import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
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
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { migrateToLatest } from '../../src/building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import {
  type Param,
  preparedQuery,
} from '../../src/building-blocks/infrastructure/database/prepared-query.ts';
import { deleteProjectsOfOwner } from '../../src/projects/application/commands/delete-projects-of-owner.ts';
import { exampleProject } from '../../src/projects/domain/example-project.ts';
import { parseTaskName } from '../../src/projects/domain/names.ts';
import type { Project, ProjectId } from '../../src/projects/domain/project.ts';
import { ALICE, NOW } from '../../src/projects/domain/testing/project-builder.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { aUser } from '../contracts/users.ts';
import { accountsUnitOfWork } from '../support/accounts-unit-of-work.ts';
import { projectsUnitOfWork } from '../support/projects-unit-of-work.ts';
import { freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

/**
 * What one connection sends to PostgreSQL and when: statements parsed (by name), and round
 * trips (a message sent while no answer is awaited starts one; answers end at ReadyForQuery).
 */
function wire() {
  const { prototype } = pg.Connection as unknown as {
    prototype: Record<string, (...args: unknown[]) => unknown>;
  };
  const parsed: string[] = [];
  let awaited = 0;
  let roundTrips = 0;
  const sent = () => {
    if (awaited === 0) roundTrips++;
    awaited++;
  };
  const spy = (method: string, before: (...args: unknown[]) => void) => {
    const original = prototype[method] as (...args: unknown[]) => unknown;
    return vi.spyOn(prototype, method).mockImplementation(function (this: unknown, ...args) {
      before(...args);
      return original.apply(this, args);
    });
  };
  spy('parse', (query) => parsed.push((query as { name?: string }).name ?? ''));
  spy('sync', sent);
  spy('query', sent);
  spy('emit', (event) => {
    if (event === 'readyForQuery') awaited = Math.max(0, awaited - 1);
  });
  return {
    parsed,
    get roundTrips() {
      return roundTrips;
    },
  };
}

describe.runIf(TEST_DIALECT === 'postgres')('statements on PostgreSQL', () => {
  let database: Database;
  let url: string;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    url = fresh.url;
    // One connection for units of work, one for reads: what each has prepared shows.
    database = openDatabase(fresh.url, { poolSize: 1, readConnections: 1 });
    await migrateToLatest(database, ...migrations);
    dropDatabase = async () => {
      await database.close();
      await fresh.drop();
    };
  });
  afterAll(() => dropDatabase?.());
  afterEach(() => {
    vi.restoreAllMocks();
    readings = [];
  });

  /** How each attempt of the unit of work read: with row locks or without. */
  let readings: boolean[] = [];
  const uow = () =>
    projectsUnitOfWork(database, { onAttempt: (reading) => readings.push(reading.lockRows) });
  const addProject = () =>
    uow().run(async ({ projects }) => {
      const project = exampleProject({
        id: await projects.nextId(),
        ownerId: ALICE,
        registeredAt: NOW,
      });
      await projects.add(project);
      return project.id as ProjectId;
    });

  test('a prepared query is parsed once per connection, then run by its name', async () => {
    const projectName = preparedQuery((db: Kysely<ProjectsTables>, param: Param<{ id: number }>) =>
      db.selectFrom('projects.projects').select('name').where('id', '=', param('id')),
    );
    const id = await addProject();
    const { parsed } = wire();

    for (let i = 0; i < 3; i++) await projectName.read(database.reads, { id });
    await database.transaction((tx) =>
      projectName.execute(
        { builder: tx.builder as Kysely<ProjectsTables>, execute: tx.execute },
        { id },
      ),
    );

    // Once on the read connection, once on the units of work's: not once per run.
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatch(/^taskflow_\d+$/);
    expect(parsed[1]).toBe(parsed[0]);
  });

  test('adding a task: 3 round trips (BEGIN with the project, both writes, COMMIT)', async () => {
    const id = await addProject();
    await addTask(id); // the statements are prepared now
    const counted = wire();

    await addTask(id);

    expect(counted.roundTrips).toBe(3);
    expect(counted.parsed).toEqual([]);
  });

  const completeTask = (id: ProjectId, number: number) =>
    uow().run(async ({ projects }) => {
      const project = (await projects.findOwned(id, ALICE, { withTask: number })) as Project;
      project.completeTask(number, NOW);
      await projects.save(project);
    });

  test('completing a task: 3 round trips (BEGIN with the project and the task, both writes, COMMIT)', async () => {
    const id = await addProject();
    const number = await addTask(id);
    const counted = wire();

    await completeTask(id, number);

    expect(counted.roundTrips).toBe(3);
    expect(readings.at(-1)).toBe(false);
  });

  test('completing a completed task: 2 round trips, and it waits for no lock', async () => {
    const id = await addProject();
    const number = await addTask(id);
    await completeTask(id, number);
    // Another client holds the project's lock, as a command changing it would.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from projects.projects where id = $1 for update', [id]);
      const counted = wire();

      const outcome = await Promise.race([
        completeTask(id, number).then(() => 'answered'),
        new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 3_000)),
      ]);

      expect(outcome).toBe('answered');
      expect(counted.roundTrips).toBe(2);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
  });

  /**
   * Adds a task to project `id`; between the first attempt's read and its save, `meanwhile`
   * (SQL taking the project's id) commits on another connection.
   */
  const addTaskRacing = async (id: ProjectId, meanwhile: string) => {
    const competitor = new pg.Client({ connectionString: url });
    await competitor.connect();
    let attempts = 0;
    readings = [];
    try {
      return await uow().run(async ({ projects }) => {
        const project = await projects.findOwned(id, ALICE);
        if (!project) return 'not found';
        if (attempts++ === 0) await competitor.query(meanwhile, [id]);
        project.addTask(parseTaskName('After the race'), NOW);
        await projects.save(project);
        return 'added';
      });
    } finally {
      await competitor.end();
    }
  };

  test('a command that lost a race runs again at once, locking what it loads this time', async () => {
    const id = await addProject();

    const outcome = await addTaskRacing(
      id,
      'update projects.projects set version = version + 1 where id = $1',
    );

    expect(outcome).toBe('added');
    expect(readings).toEqual([false, true]);
  });

  test('a task added to a project deleted since it was read is a lost race, run again, not an error', async () => {
    const id = await addProject();

    const outcome = await addTaskRacing(id, 'delete from projects.projects where id = $1');

    expect(outcome).toBe('not found');
    expect(readings).toEqual([false, true]);
  });

  test('reads issued together are pipelined on the read connections, not spread over the pool', async () => {
    const reading = openDatabase(url, { poolSize: 10, readConnections: 2 });
    const backendPid = sql.raw('select pg_backend_pid() as pid').compile(reading.kysely);
    try {
      const inTransaction = await reading.transaction(async (tx) => {
        const { rows } = await tx.execute<{ pid: number }>(backendPid);
        return rows[0]?.pid;
      });
      const twentyReads = () =>
        Promise.all(
          Array.from({ length: 20 }, () => reading.reads.all<{ pid: number }>(backendPid)),
        );
      await twentyReads(); // the read connections are open now
      const counted = wire();

      const rows = await twentyReads();

      const connections = new Set(rows.flat().map((row) => row.pid));
      expect(connections.size).toBe(2);
      expect(connections.has(inTransaction as number)).toBe(false);
      // Both connections' reads left at once: one round trip for the twenty.
      expect(counted.roundTrips).toBe(1);
    } finally {
      await reading.close();
    }
  });

  const addTask = (id: ProjectId) =>
    uow().run(async ({ projects }) => {
      const project = (await projects.findOwned(id, ALICE)) as Project;
      const task = project.addTask(parseTaskName('Another task'), NOW);
      await projects.save(project);
      return task.number;
    });
});

/**
 * An account deleted while a project is being created for it (ADR 14): the two wait for each
 * other on the owner's row, in both orders, so no project outlives its owner.
 */
describe.runIf(TEST_DIALECT === 'postgres')('owners on PostgreSQL', () => {
  let creating: Database;
  let deleting: Database;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    creating = openDatabase(fresh.url, { poolSize: 1, readConnections: 1 });
    deleting = openDatabase(fresh.url, { poolSize: 1, readConnections: 1 });
    await migrateToLatest(creating, ...migrations);
    dropDatabase = async () => {
      await creating.close();
      await deleting.close();
      await fresh.drop();
    };
  });
  afterAll(() => dropDatabase?.());

  const deleteAccount = (ownerId: UserId) =>
    deleteProjectsOfOwner(
      { ownerId },
      { uow: projectsUnitOfWork(deleting), clock: new FixedClock() },
    );
  const projectsOf = async (ownerId: UserId) =>
    (
      await creating.kysely
        .withTables<ProjectsTables>()
        .selectFrom('projects.projects')
        .select('id')
        .where('owner_id', '=', ownerId)
        .execute()
    ).length;
  /** A promise and the function that settles it. */
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { open, opened };
  };
  const settledWithin = (promise: Promise<unknown>, ms: number) =>
    Promise.race([
      promise.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), ms)),
    ]);

  // A new owner's row is being inserted (its key is what the deletion waits on); a known
  // owner's row exists, and the share lock is what it waits on.
  test.each(['new', 'known'])(
    'a creation admitted first is waited for, then removed with the rest (%s owner)',
    async (kind) => {
      const owner = randomUUID() as UserId;
      if (kind === 'known')
        await projectsUnitOfWork(creating).run(({ owners }) => owners.admit(owner));
      const admitted = gate();
      const goOn = gate();
      const creation = projectsUnitOfWork(creating).run(async ({ owners, projects }) => {
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
    const retirement = projectsUnitOfWork(deleting).run(async ({ owners }) => {
      await owners.retire(owner, NOW);
      retiring.open();
      await goOn.opened;
    });
    await retiring.opened;

    const admission = projectsUnitOfWork(creating).run(({ owners }) => owners.admit(owner));
    expect(await settledWithin(admission, 500)).toBe(false); // waiting for the retirement
    goOn.open();
    await retirement;

    expect(await admission).toBe(false);
  });
});

describe.runIf(TEST_DIALECT === 'postgres')(
  'a login racing an account deletion on PostgreSQL',
  () => {
    let loggingIn: Database;
    let deleting: Database;
    let dropDatabase: () => Promise<void>;

    beforeAll(async () => {
      const fresh = await freshDatabase();
      loggingIn = openDatabase(fresh.url, { poolSize: 1, readConnections: 1 });
      deleting = openDatabase(fresh.url, { poolSize: 1, readConnections: 1 });
      await migrateToLatest(loggingIn, ...migrations);
      dropDatabase = async () => {
        await loggingIn.close();
        await deleting.close();
        await fresh.drop();
      };
    });
    afterAll(() => dropDatabase?.());

    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { open, opened };
    };
    const settledWithin = (promise: Promise<unknown>, ms: number) =>
      Promise.race([
        promise.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), ms)),
      ]);
    const deleteTheAccount = (userId: UserId) =>
      deleteAccount(
        { userId, password: 'the password' },
        {
          uow: accountsUnitOfWork(deleting),
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
        await loggingIn.kysely
          .withTables<AccountsTables>()
          .selectFrom('accounts.sessions')
          .select('id')
          .where('user_id', '=', userId)
          .execute()
      ).length;

    test('a login that holds the user first is waited for, and its session removed with the rest', async () => {
      const user = aUser(`${randomUUID()}@example.com`, 'hashed:the password');
      await accountsUnitOfWork(loggingIn).run(({ users }) => users.add(user));
      const held = gate();
      const goOn = gate();
      const login = accountsUnitOfWork(loggingIn).run(async ({ users, sessions }) => {
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
      await accountsUnitOfWork(loggingIn).run(({ users }) => users.add(user));
      const removing = gate();
      const goOn = gate();
      const removal = accountsUnitOfWork(deleting).run(async ({ users }) => {
        await users.remove((await users.findById(user.id)) as User);
        removing.open();
        await goOn.opened;
      });
      await removing.opened;

      const holding = accountsUnitOfWork(loggingIn).run(({ users }) => users.hold(user.id));
      expect(await settledWithin(holding, 500)).toBe(false); // waiting for the deletion
      goOn.open();
      await removal;

      expect(await holding).toBeUndefined();
    });
  },
);
