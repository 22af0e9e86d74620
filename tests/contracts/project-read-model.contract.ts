import { beforeEach, describe, expect, test } from 'vitest';
import type { UnitOfWork } from '../../src/building-blocks/application/unit-of-work.ts';
import type { ProjectsRepositories } from '../../src/projects/application/ports.ts';
import type {
  ProjectReadModel,
  TaskStatus,
} from '../../src/projects/application/queries/project-read-model.ts';
import { parseTaskName } from '../../src/projects/domain/names.ts';
import type { Project, ProjectId } from '../../src/projects/domain/project.ts';
import { ALICE, aProject, BOB, NOW } from '../../src/projects/domain/testing/project-builder.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';

/** A page that holds everything here. */
const ALL = { limit: 100 };

/** The projects a read model sees are written through the repository of the same kind. */
export interface ProjectReadModelUnderTest {
  uow: UnitOfWork<ProjectsRepositories>;
  readModel: ProjectReadModel;
}

/**
 * What every ProjectReadModel must answer, run against the in-memory fake (unit tests) and
 * the SQL read model on each real database (integration tests), so the fake that the query
 * tests trust answers like the real thing.
 */
export function projectReadModelContract(
  name: string,
  make: () => Promise<ProjectReadModelUnderTest>,
) {
  describe(`ProjectReadModel contract: ${name}`, () => {
    let uow: UnitOfWork<ProjectsRepositories>;
    let readModel: ProjectReadModel;
    let ids: Record<string, number>;

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

    beforeEach(async () => {
      ({ uow, readModel } = await make());
      ids = {};
      await store(
        'Alice first',
        aProject().ownedBy(ALICE).withCompletedTasks(1).withTasks(2).withLimit(5),
      );
      await store('Bob only', aProject().ownedBy(BOB).withTasks(1));
      await store('Alice empty', aProject().ownedBy(ALICE));
      await store('Alice deleted', aProject().ownedBy(ALICE).archived(), true);
      await store('Alice archived', aProject().ownedBy(ALICE).archived());
    });

    const id = (name: string) => ids[name] as number;

    test('lists the owner’s projects oldest first, without deleted ones', async () => {
      const { items: projects, next } = await readModel.listProjects(ALICE, ALL);

      expect(next).toBeNull();
      expect(projects.map((p) => p.name)).toEqual(['Alice first', 'Alice empty', 'Alice archived']);
      expect(projects[0]).toEqual({
        id: id('Alice first'),
        name: 'Alice first',
        maximumNumberOfIncompleteTasks: 5,
        numberOfIncompleteTasks: 2,
        archived: false,
        archivedAt: null,
      });
      expect(projects[1]).toMatchObject({ numberOfIncompleteTasks: 0 });
      expect(projects[2]).toMatchObject({ archived: true, archivedAt: NOW.toISOString() });
    });

    test('finds one of the owner’s projects, and no one else’s or a deleted one', async () => {
      expect(await readModel.findProject(ALICE, id('Alice archived'))).toEqual({
        view: {
          id: id('Alice archived'),
          name: 'Alice archived',
          maximumNumberOfIncompleteTasks: null,
          numberOfIncompleteTasks: 0,
          archived: true,
          archivedAt: NOW.toISOString(),
        },
        version: expect.any(Number),
      });
      expect(await readModel.findProject(BOB, id('Alice first'))).toBeUndefined();
      expect(await readModel.findProject(ALICE, id('Alice deleted'))).toBeUndefined();
    });

    test('lists tasks by number, with completion times as ISO strings', async () => {
      const tasks = await readModel.listTasks(ALICE, id('Alice first'), ALL);

      expect(tasks?.next).toBeNull();
      expect(tasks?.items.value()).toEqual([
        { number: 1, name: 'Done task 1', completedAt: NOW.toISOString() },
        { number: 2, name: 'Open task 1', completedAt: null },
        { number: 3, name: 'Open task 2', completedAt: null },
      ]);
    });

    test('tells a project without tasks from a project that is not the owner’s', async () => {
      expect((await readModel.listTasks(ALICE, id('Alice empty'), ALL))?.items.value()).toEqual([]);
      expect(await readModel.listTasks(ALICE, id('Bob only'), ALL)).toBeUndefined();
      expect(await readModel.listTasks(ALICE, id('Alice deleted'), ALL)).toBeUndefined();
    });

    test('pages tasks by number: after a key, at most limit, next while more follow', async () => {
      const first = id('Alice first');
      const numbers = async (page: { limit: number; after?: number; status?: TaskStatus }) => {
        const tasks = await readModel.listTasks(ALICE, first, page);
        return { numbers: tasks?.items.value().map((t) => t.number), next: tasks?.next };
      };

      expect(await numbers({ limit: 2 })).toEqual({ numbers: [1, 2], next: 2 });
      expect(await numbers({ limit: 2, after: 2 })).toEqual({ numbers: [3], next: null });
      expect(await numbers({ limit: 1, after: 1 })).toEqual({ numbers: [2], next: 2 });
      expect(await numbers({ limit: 5, after: 3 })).toEqual({ numbers: [], next: null });
      expect(await numbers({ limit: 1, status: 'open' })).toEqual({ numbers: [2], next: 2 });
      expect(await numbers({ limit: 1, after: 2, status: 'open' })).toEqual({
        numbers: [3],
        next: null,
      });
      expect(await numbers({ limit: 5, status: 'completed' })).toEqual({
        numbers: [1],
        next: null,
      });
      expect(await readModel.listTasks(ALICE, id('Bob only'), { limit: 1 })).toBeUndefined();
    });

    test('pages tasks whose names look like the JSON of a task', async () => {
      const empty = id('Alice empty');
      const names = ['x,{"number":1,"y', ',{"number":2,'];
      await uow.run(async ({ projects }) => {
        const project = (await projects.findOwned(empty as ProjectId, ALICE)) as Project;
        for (const name of names) project.addTask(parseTaskName(name), NOW);
        await projects.save(project);
      });

      const first = await readModel.listTasks(ALICE, empty, { limit: 1 });
      const second = await readModel.listTasks(ALICE, empty, { limit: 1, after: first?.next ?? 0 });

      expect(first?.items.value().map((t) => t.name)).toEqual([names[0]]);
      expect(first?.next).toBe(1);
      expect(second?.items.value().map((t) => t.name)).toEqual([names[1]]);
      expect(second?.next).toBeNull();
    });

    test('pages projects by id', async () => {
      const page1 = await readModel.listProjects(ALICE, { limit: 2 });
      const page2 = await readModel.listProjects(ALICE, { limit: 2, after: page1.next ?? 0 });

      expect(page1.items.map((p) => p.name)).toEqual(['Alice first', 'Alice empty']);
      expect(page1.next).toBe(id('Alice empty'));
      expect(page2.items.map((p) => p.name)).toEqual(['Alice archived']);
      expect(page2.next).toBeNull();
    });

    test('finds one task, telling a missing task from a missing project', async () => {
      const first = id('Alice first');

      expect(await readModel.findTask(ALICE, first, 2)).toEqual({
        task: { number: 2, name: 'Open task 1', completedAt: null },
      });
      expect(await readModel.findTask(ALICE, first, 9)).toEqual({ task: undefined });
      expect(await readModel.findTask(BOB, first, 2)).toBeUndefined();
      expect(await readModel.findTask(ALICE, id('Alice deleted'), 1)).toBeUndefined();
    });

    test('summarises the owner’s projects for GET /users/me', async () => {
      expect((await readModel.listProjectSummaries(BOB)).value()).toEqual([
        { id: id('Bob only'), name: 'Bob only' },
      ]);
      expect((await readModel.listProjectSummaries(ALICE)).value()).toEqual([
        { id: id('Alice first'), name: 'Alice first' },
        { id: id('Alice empty'), name: 'Alice empty' },
        { id: id('Alice archived'), name: 'Alice archived' },
      ]);
      const stranger = '00000000-0000-7000-8000-0000000000ff' as UserId;
      expect((await readModel.listProjectSummaries(stranger)).value()).toEqual([]);
    });

    test('gives back names with quotes, backslashes and non-ASCII letters as they are', async () => {
      const empty = id('Alice empty');
      const name = 'Say "hi" \\ to Zoë';
      await uow.run(async ({ projects }) => {
        const project = (await projects.findOwned(empty as ProjectId, ALICE)) as Project;
        project.addTask(parseTaskName(name), NOW);
        await projects.save(project);
      });

      const tasks = await readModel.listTasks(ALICE, empty, ALL);

      expect(tasks?.items.value()).toEqual([{ number: 1, name, completedAt: null }]);
    });
  });
}
