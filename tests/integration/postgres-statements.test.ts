import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { migrations } from '../../src/app.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { migrateToLatest } from '../../src/building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import {
  type Param,
  preparedQuery,
} from '../../src/building-blocks/infrastructure/database/prepared-query.ts';
import { RecentRaces } from '../../src/building-blocks/infrastructure/recent-races.ts';
import { exampleProject } from '../../src/projects/domain/example-project.ts';
import { parseTaskName } from '../../src/projects/domain/names.ts';
import type { Project, ProjectId } from '../../src/projects/domain/project.ts';
import { ALICE, NOW } from '../../src/projects/domain/testing/project-builder.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
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

  /** How each attempt of the unit of work loaded its project: with its row lock or without. */
  let readings: boolean[] = [];
  const uow = (recentRaces?: RecentRaces) =>
    projectsUnitOfWork(database, {
      onLoad: (locked) => readings.push(locked),
      ...(recentRaces && { recentRaces }),
    });
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

  const completeTask = (id: ProjectId, number: number, unitOfWork = uow()) =>
    unitOfWork.run(async ({ projects }) => {
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
  const addTaskRacing = async (id: ProjectId, meanwhile: string, unitOfWork = uow()) => {
    const competitor = new pg.Client({ connectionString: url });
    await competitor.connect();
    let attempts = 0;
    readings = [];
    try {
      return await unitOfWork.run(async ({ projects }) => {
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

  test('after a lost race, the next commands on that project lock it at once; on others they do not', async () => {
    // One unit of work, as a process has one per context: it remembers the race (for a minute
    // here, so that a slow machine does not outlast the window).
    const unitOfWork = uow(new RecentRaces({ windowMs: 60_000 }));
    const contended = await addProject();
    const other = await addProject();
    const [first, second] = [await addTask(contended), await addTask(other)];
    // Completed now: completing them again changes nothing, and without a lock waits for none.
    await completeTask(contended, first);
    await completeTask(other, second);
    await addTaskRacing(
      contended,
      'update projects.projects set version = version + 1 where id = $1',
      unitOfWork,
    );
    // Another client holds both projects' locks, as commands changing them would.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from projects.projects where id = any($1) for update', [
        [contended, other],
      ]);
      readings = [];

      const onOther = completeTask(other, second, unitOfWork).then(() => 'answered');
      const onContended = completeTask(contended, first, unitOfWork).then(() => 'answered');
      const waited = new Promise((resolve) =>
        setTimeout(() => resolve('waited for the lock'), 1_000),
      );

      expect(await Promise.race([onOther, waited])).toBe('answered');
      expect(await Promise.race([onContended, waited])).toBe('waited for the lock');
      await holder.query('rollback');
      expect(await onContended).toBe('answered');
      // Each at its first attempt: unlocked on the other project, locked on the one that lost.
      expect([...readings].sort()).toEqual([false, true]);
    } finally {
      await holder.end();
    }
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
