import { beforeEach, describe, expect, test } from 'vitest';
import { ConcurrencyConflict } from '../../src/building-blocks/application/concurrency-conflict.ts';
import type { UnitOfWork } from '../../src/building-blocks/application/unit-of-work.ts';
import type { ProjectsRepositories } from '../../src/projects/application/ports.ts';
import { exampleProject } from '../../src/projects/domain/example-project.ts';
import { parseTaskName } from '../../src/projects/domain/names.ts';
import type { Project, ProjectId } from '../../src/projects/domain/project.ts';
import { ALICE, aProject, BOB, NOW } from '../../src/projects/domain/testing/project-builder.ts';

/**
 * What every ProjectRepository must do, run against the in-memory fake (unit tests) and
 * the Kysely repository on each real database (integration tests), so the fake that the
 * handler tests trust behaves like the real thing.
 */
export function projectRepositoryContract(
  name: string,
  makeUnitOfWork: () => Promise<UnitOfWork<ProjectsRepositories>>,
) {
  describe(`ProjectRepository contract: ${name}`, () => {
    let uow: UnitOfWork<ProjectsRepositories>;
    beforeEach(async () => {
      uow = await makeUnitOfWork();
    });

    const addExample = () =>
      uow.run(async ({ projects }) => {
        const project = exampleProject({
          id: await projects.nextId(),
          ownerId: ALICE,
          registeredAt: NOW,
        });
        await projects.add(project);
        return project;
      });

    test('an admitted owner is welcomed once', async () => {
      const welcome = () =>
        uow.run(async ({ owners }) => (await owners.admit(ALICE)) && owners.welcome(ALICE, NOW));

      expect(await welcome()).toBe(true);
      expect(await welcome()).toBe(false);
      expect(await uow.run(({ owners }) => owners.welcome(BOB, NOW))).toBe(false); // never admitted
    });

    test('owners are admitted until retired, then for good (retiring twice is retiring once)', async () => {
      const admit = (owner: typeof ALICE) => uow.run(({ owners }) => owners.admit(owner));
      const retire = (owner: typeof ALICE) => uow.run(({ owners }) => owners.retire(owner, NOW));

      expect(await admit(ALICE)).toBe(true);
      expect(await admit(ALICE)).toBe(true);
      await retire(ALICE);
      await retire(ALICE);
      await retire(BOB); // never admitted: retired all the same
      expect(await admit(ALICE)).toBe(false);
      expect(await admit(BOB)).toBe(false);
    });

    const load = (id: ProjectId, ownerId = ALICE, withTask?: number) =>
      uow.run(({ projects }) =>
        projects.findOwned(id, ownerId, withTask === undefined ? {} : { withTask }),
      );

    test('removes every project of an owner with its tasks, and no one else’s', async () => {
      const alices = [await addExample(), await addExample()];
      const bobs = await uow.run(async ({ projects }) => {
        const project = exampleProject({
          id: await projects.nextId(),
          ownerId: BOB,
          registeredAt: NOW,
        });
        await projects.add(project);
        return project;
      });

      await uow.run(({ projects }) => projects.removeAllOwnedBy(ALICE));

      for (const project of alices) expect(await load(project.id, ALICE, 1)).toBeUndefined();
      expect((await load(bobs.id, BOB, 1))?.toState().tasks).toHaveLength(1);
    });

    test('allocates increasing project ids', async () => {
      const ids = await uow.run(async ({ projects }) => [
        await projects.nextId(),
        await projects.nextId(),
      ]);

      expect(ids[1]).toBeGreaterThan(ids[0] as number);
    });

    test('gives back what it stored, with only the task asked for', async () => {
      const added = await addExample();

      const plain = await load(added.id);
      const withTask = await load(added.id, ALICE, 1);
      const withMissingTask = await load(added.id, ALICE, 99);

      const { tasks, version, ...expected } = added.toState();
      expect(plain?.toState()).toEqual({ ...expected, version: 1, tasks: [] });
      expect(withTask?.toState()).toEqual({ ...expected, version: 1, tasks: [tasks[0]] });
      expect(withMissingTask?.toState()).toEqual({ ...expected, version: 1, tasks: [] });
      expect(version, 'an added project knows the version it is stored with').toBe(1);
    });

    test('another owner’s project, or a deleted one, is not found', async () => {
      const added = await addExample();
      const archived = await uow.run(async ({ projects }) => {
        const project = aProject()
          .withId(await projects.nextId())
          .archived()
          .notStored()
          .build();
        await projects.add(project);
        return project;
      });
      await uow.run(async ({ projects }) => {
        const project = (await projects.findOwned(archived.id, ALICE)) as Project;
        project.delete(NOW);
        await projects.save(project);
      });

      expect(await load(added.id, BOB)).toBeUndefined();
      expect(await load(added.id, BOB, 1)).toBeUndefined();
      expect(await load(archived.id)).toBeUndefined();
      expect(await load(archived.id, ALICE, 1)).toBeUndefined();
    });

    test('saves new and changed tasks, and the counters', async () => {
      const added = await addExample();

      await uow.run(async ({ projects }) => {
        const project = (await projects.findOwned(added.id, ALICE, { withTask: 2 })) as Project;
        project.completeTask(2, NOW);
        project.addTask(parseTaskName('Fourth task'), NOW);
        await projects.save(project);
      });

      const second = await load(added.id, ALICE, 2);
      const fourth = await load(added.id, ALICE, 4);
      expect(second?.toState().tasks[0]?.completedAt).toEqual(NOW);
      expect(fourth?.toState().tasks[0]?.name).toBe('Fourth task');
      expect(fourth?.toState()).toMatchObject({
        lastTaskNumber: 4,
        incompleteTaskCount: 2,
        version: 2,
      });
    });

    test('saving a project that did not change writes nothing', async () => {
      const added = await addExample();

      await uow.run(async ({ projects }) => {
        const project = (await projects.findOwned(added.id, ALICE, { withTask: 1 })) as Project;
        project.completeTask(1, new Date(NOW.getTime() + 60_000));
        await projects.save(project);
      });

      const after = await load(added.id, ALICE, 1);
      expect(after?.version).toBe(1);
      expect(after?.toState().tasks[0]?.completedAt).toEqual(NOW);
    });

    test('saves twice in one unit of work: the second save is not a conflict with the first', async () => {
      const added = await addExample();

      await uow.run(async ({ projects }) => {
        const project = (await projects.findOwned(added.id, ALICE)) as Project;
        project.addTask(parseTaskName('Fourth task'), NOW);
        await projects.save(project);
        expect(project.version).toBe(2);
        project.addTask(parseTaskName('Fifth task'), NOW);
        await projects.save(project);
        expect(project.version).toBe(3);
      });

      const after = await load(added.id, ALICE, 5);
      expect(after?.toState()).toMatchObject({ lastTaskNumber: 5, version: 3 });
      expect(after?.toState().tasks[0]?.name).toBe('Fifth task');
    });

    test('a project added and then changed in one unit of work is stored with both', async () => {
      const id = await uow.run(async ({ projects }) => {
        const project = aProject()
          .withId(await projects.nextId())
          .build();
        await projects.add(project);
        project.addTask(parseTaskName('Right away'), NOW);
        await projects.save(project);
        return project.id;
      });

      const after = await load(id, ALICE, 1);
      expect(after?.toState().tasks.map((task) => task.name)).toEqual(['Right away']);
      expect(after?.version).toBe(2);
    });

    test('refuses to save over a newer version', async () => {
      const added = await addExample();
      const stale = (await load(added.id)) as Project;
      await uow.run(async ({ projects }) => {
        const fresh = (await projects.findOwned(added.id, ALICE)) as Project;
        fresh.addTask(parseTaskName('Winner'), NOW);
        await projects.save(fresh);
      });

      stale.addTask(parseTaskName('Loser'), NOW);
      await expect(uow.run(({ projects }) => projects.save(stale))).rejects.toThrow(
        ConcurrencyConflict,
      );

      const winner = await load(added.id, ALICE, 4);
      expect(winner?.toState().tasks[0]?.name).toBe('Winner');
    });
  });
}
