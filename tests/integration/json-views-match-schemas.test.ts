import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { getCurrentUser } from '../../src/accounts/application/queries/get-current-user.ts';
import { CurrentUserResponse } from '../../src/accounts/http/schemas.ts';
import { SqlUserReadModel } from '../../src/accounts/infrastructure/sql-user-read-model.ts';
import { Serialized } from '../../src/building-blocks/application/json.ts';
import { listProjectSummaries } from '../../src/projects/application/queries/list-project-summaries.ts';
import { aProject } from '../../src/projects/domain/testing/project-builder.ts';
import {
  ProjectPageResponse,
  ProjectResponse,
  TaskPageResponse,
  TaskResponse,
} from '../../src/projects/http/schemas.ts';
import { SqlProjectReadModel } from '../../src/projects/infrastructure/sql-project-read-model.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { aUser } from '../contracts/users.ts';
import { accountsUnitOfWork } from '../support/accounts-unit-of-work.ts';
import { projectsUnitOfWork } from '../support/projects-unit-of-work.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

/**
 * Every view the read models' SQL produces, as the API sends it, against the route's Zod
 * response schema: a field the schema (and so the view type) has and the SQL does not fails
 * the parse, and a field the SQL writes and the schema does not fails the comparison (Zod
 * drops keys it does not know). The list views are JSON the database wrote (ADR 6); the others
 * are rows a mapper made into views.
 */
let drop: () => Promise<void>;
let projects: SqlProjectReadModel;
let users: SqlUserReadModel;
let owner: UserId;
const ids: number[] = [];

beforeAll(async () => {
  const test = await openTestDatabase();
  drop = test.drop;
  const { database } = test;
  const user = aUser('views@example.com');
  owner = user.id;
  await accountsUnitOfWork(database).run(({ users }) => users.add(user));
  const uow = projectsUnitOfWork(database);
  // Every field of every view takes each kind of value it can: a limit and none, archived
  // and not, tasks completed and open, a project without tasks.
  for (const builder of [
    aProject().withCompletedTasks(1).withTasks(1).withLimit(3),
    aProject().withCompletedTasks(2).archived(),
    aProject(),
  ]) {
    ids.push(
      await uow.run(async ({ projects }) => {
        const project = builder
          .withId(await projects.nextId())
          .ownedBy(owner)
          .notStored()
          .build();
        await projects.add(project);
        return project.id;
      }),
    );
  }
  projects = new SqlProjectReadModel(database.reads);
  users = new SqlUserReadModel(database.reads);
});
afterAll(() => drop());

/** What a client receives, parsed by the schema; the schema must keep every field. */
function expectToMatch(schema: z.ZodType, sent: string) {
  const received: unknown = JSON.parse(sent);
  const result = schema.safeParse(received);
  expect(result.error?.issues ?? []).toEqual([]);
  expect(result.data).toEqual(received);
}

const sentAsJson = (value: unknown) => JSON.stringify(value);

describe(`the JSON views on ${TEST_DIALECT} match the routes' response schemas`, () => {
  test('GET /projects', async () => {
    const list = await projects.listProjects(owner, { limit: 50 });

    expect(list.items).toHaveLength(3);
    expectToMatch(ProjectPageResponse, sentAsJson({ projects: list.items, nextCursor: null }));
  });

  test('GET /projects/{projectId}', async () => {
    for (const id of ids)
      expectToMatch(ProjectResponse, sentAsJson((await projects.findProject(owner, id))?.view));
  });

  test('GET /projects/{projectId}/tasks', async () => {
    for (const id of ids) {
      for (const limit of [1, 50]) {
        const page = await projects.listTasks(owner, id, { limit });
        const tasks = page?.items as Serialized<unknown>;
        const nextCursor = Serialized.of(page?.next === null ? null : 'cursor');
        expectToMatch(TaskPageResponse, Serialized.object({ tasks, nextCursor }).json);
      }
    }
  });

  test('GET /projects/{projectId}/tasks/{taskNumber}', async () => {
    for (const number of [1, 2]) {
      const found = await projects.findTask(owner, ids[0] as number, number);
      expectToMatch(TaskResponse, sentAsJson(found?.task));
    }
  });

  test('GET /users/me', async () => {
    const projectsOfUser = {
      listProjectsOf: (ownerId: UserId) =>
        listProjectSummaries({ ownerId }, { readModel: projects }),
    };

    const current = await getCurrentUser({ userId: owner }, { users, projects: projectsOfUser });

    expect(current.value().projects).toHaveLength(3);
    expectToMatch(CurrentUserResponse, current.json);
  });
});
