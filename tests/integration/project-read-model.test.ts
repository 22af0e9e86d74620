import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import type { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { ProjectsRepositories } from '../../src/projects/application/ports.ts';
import type { Project, ProjectId } from '../../src/projects/domain/project.ts';
import { ALICE, aProject, BOB, NOW } from '../../src/projects/domain/testing/project-builder.ts';
import { SqlProjectReadModel } from '../../src/projects/infrastructure/sql-project-read-model.ts';
import type { ProjectsTables } from '../../src/projects/infrastructure/tables.ts';
import { projectReadModelContract } from '../contracts/project-read-model.contract.ts';
import { projectsUnitOfWork } from '../support/projects-unit-of-work.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

const opened: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const database of opened) await database.drop();
});

async function realAdapters(): Promise<{
  database: Database;
  uow: KyselyUnitOfWork<ProjectsTables, ProjectsRepositories>;
  readModel: SqlProjectReadModel;
}> {
  const test = await openTestDatabase();
  opened.push(test);
  const { database } = test;
  const uow = projectsUnitOfWork(database);
  return { database, uow, readModel: new SqlProjectReadModel(database.reads) };
}

projectReadModelContract(`SQL on ${TEST_DIALECT}`, realAdapters);

describe('SqlProjectReadModel', () => {
  let adapters: Awaited<ReturnType<typeof realAdapters>>;
  let id: ProjectId;
  beforeAll(async () => {
    adapters = await realAdapters();
    id = await adapters.uow.run(async ({ projects }) => {
      const project = aProject()
        .withId(await projects.nextId())
        .withTasks(2)
        .notStored()
        .build();
      await projects.add(project);
      return project.id;
    });
  });

  // The in-memory fake reads its store's working copy, so this holds for the real one only.
  test('reads what is committed, never what an open unit of work has written', async () => {
    const { uow, readModel } = adapters;
    let seenInside: unknown;
    await uow.run(async ({ projects }) => {
      const project = (await projects.findOwned(id, ALICE, { withTask: 2 })) as Project;
      project.completeTask(2, NOW);
      await projects.save(project);
      seenInside = (await readModel.findTask(ALICE, id, 2))?.task?.completedAt;
    });

    expect(seenInside).toBeNull();
    expect((await readModel.findTask(ALICE, id, 2))?.task?.completedAt).toBe(NOW.toISOString());
    expect(await readModel.findProject(BOB, id)).toBeUndefined();
  });
});
