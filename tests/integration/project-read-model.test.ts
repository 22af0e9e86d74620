import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { ProjectsRepositories } from '../../src/projects/application/ports.ts';
import { parseTaskName } from '../../src/projects/domain/names.ts';
import type { Project, ProjectId } from '../../src/projects/domain/project.ts';
import { ALICE, aProject, BOB, NOW } from '../../src/projects/domain/testing/project-builder.ts';
import { KyselyProjectRepository } from '../../src/projects/infrastructure/kysely-project-repository.ts';
import { SqlProjectReadModel } from '../../src/projects/infrastructure/sql-project-read-model.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { openTestDatabase } from '../support/test-database.ts';

let database: Database;
let drop: () => Promise<void>;
let readModel: SqlProjectReadModel;
let uow: KyselyUnitOfWork<ProjectsTables, ProjectsRepositories>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  uow = new KyselyUnitOfWork<ProjectsTables, ProjectsRepositories>(
    database,
    (trx, tracker) => ({ projects: new KyselyProjectRepository(trx, tracker) }),
    async () => {},
  );
  const store = (name: string, builder: ReturnType<typeof aProject>, remove = false) =>
    uow.run(async ({ projects }) => {
      const project = builder
        .withId(await projects.nextId())
        .named(name)
        .notStored()
        .build();
      await projects.add(project);
      if (remove) {
        const stored = (await projects.findOwned(project.id, project.ownerId)) as Project;
        stored.delete(NOW);
        await projects.save(stored);
      }
      ids[name] = project.id;
    });
  await store(
    'Alice first',
    aProject().ownedBy(ALICE).withCompletedTasks(1).withTasks(2).withLimit(5),
  );
  await store('Bob only', aProject().ownedBy(BOB).withTasks(1));
  await store('Alice empty', aProject().ownedBy(ALICE));
  await store('Alice deleted', aProject().ownedBy(ALICE).archived(), true);
  await store('Alice archived', aProject().ownedBy(ALICE).archived());
  readModel = new SqlProjectReadModel(database.reads);
});
afterAll(() => drop());

describe('SqlProjectReadModel', () => {
  test('lists the owner’s projects oldest first, without deleted ones', async () => {
    const projects = await readModel.listProjects(ALICE);

    expect(projects.map((p) => p.name)).toEqual(['Alice first', 'Alice empty', 'Alice archived']);
    expect(projects[0]).toEqual({
      id: ids['Alice first'],
      name: 'Alice first',
      maximumNumberOfIncompleteTasks: 5,
      archived: false,
      archivedAt: null,
    });
    expect(projects[2]).toMatchObject({ archived: true, archivedAt: NOW.toISOString() });
  });

  test('lists tasks by number, with completion times as ISO strings', async () => {
    const tasks = await readModel.listTasks(ALICE, ids['Alice first'] as number);

    expect(tasks?.value()).toEqual([
      { number: 1, name: 'Done task 1', completedAt: NOW.toISOString() },
      { number: 2, name: 'Open task 1', completedAt: null },
      { number: 3, name: 'Open task 2', completedAt: null },
    ]);
  });

  test('tells a project without tasks from a project that is not the owner’s', async () => {
    expect((await readModel.listTasks(ALICE, ids['Alice empty'] as number))?.value()).toEqual([]);
    expect(await readModel.listTasks(ALICE, ids['Bob only'] as number)).toBeUndefined();
    expect(await readModel.listTasks(ALICE, ids['Alice deleted'] as number)).toBeUndefined();
  });

  test('finds one task, telling a missing task from a missing project', async () => {
    const id = ids['Alice first'] as number;

    expect(await readModel.findTask(ALICE, id, 2)).toEqual({
      task: { number: 2, name: 'Open task 1', completedAt: null },
    });
    expect(await readModel.findTask(ALICE, id, 9)).toEqual({ task: undefined });
    expect(await readModel.findTask(BOB, id, 2)).toBeUndefined();
  });

  test('summarises the owner’s projects for GET /users/me', async () => {
    expect((await readModel.listProjectSummaries(BOB)).value()).toEqual([
      { id: ids['Bob only'], name: 'Bob only' },
    ]);
    expect(
      (
        await readModel.listProjectSummaries('00000000-0000-7000-8000-0000000000ff' as UserId)
      ).value(),
    ).toEqual([]);
  });

  test('writes names with quotes, backslashes and non-ASCII letters as valid JSON', async () => {
    const id = ids['Alice empty'] as number;
    const name = 'Say "hi" \\ to Zoë';
    await uow.run(async ({ projects }) => {
      const project = (await projects.findOwned(id as ProjectId, ALICE)) as Project;
      project.addTask(parseTaskName(name), NOW);
      await projects.save(project);
    });

    const tasks = await readModel.listTasks(ALICE, id);

    expect(tasks?.value()).toEqual([{ number: 1, name, completedAt: null }]);
  });

  test('reads what is committed, never what an open unit of work has written', async () => {
    const id = ids['Alice first'] as number;
    let seenInside: unknown;
    await uow.run(async ({ projects }) => {
      const project = (await projects.findOwned(id as ProjectId, ALICE, {
        withTask: 2,
      })) as Project;
      project.completeTask(2, NOW);
      await projects.save(project);
      seenInside = (await readModel.findTask(ALICE, id, 2))?.task?.completedAt;
    });

    expect(seenInside).toBeNull();
    expect((await readModel.findTask(ALICE, id, 2))?.task?.completedAt).toBe(NOW.toISOString());
    expect(await readModel.findProject(BOB, ids['Alice first'] as number)).toBeUndefined();
  });
});
