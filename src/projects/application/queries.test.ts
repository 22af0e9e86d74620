import { beforeEach, describe, expect, test } from 'vitest';
import { fromJson } from '../../building-blocks/application/json.ts';
import { ProjectNotFound, TaskNotFound } from '../domain/errors.ts';
import { ALICE, aProject, BOB } from '../domain/testing/project-builder.ts';
import { getProject, getTask, listTasks } from './queries.ts';
import { fakeProjects } from './testing/fake-projects.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
  for (const builder of [
    aProject().withId(1).ownedBy(ALICE).withTasks(2),
    aProject().withId(2).ownedBy(BOB),
  ]) {
    const project = builder.build();
    deps.store.set(project.id, project.toState());
  }
});

describe('project queries', () => {
  test('read the owner’s project and tasks', async () => {
    expect((await getProject(deps.readModel, ALICE, 1)).name).toBe('Test project');
    const tasks = fromJson(await listTasks(deps.readModel, ALICE, 1));
    expect(tasks.map((t) => t.number)).toEqual([1, 2]);
    expect((await getTask(deps.readModel, ALICE, 1, 2)).name).toBe('Open task 2');
  });

  test('someone else’s project reads as missing', async () => {
    await expect(getProject(deps.readModel, ALICE, 2)).rejects.toThrow(ProjectNotFound);
    await expect(listTasks(deps.readModel, ALICE, 2)).rejects.toThrow(ProjectNotFound);
    await expect(getTask(deps.readModel, ALICE, 2, 1)).rejects.toThrow(ProjectNotFound);
  });

  test('a missing task in an existing project is TaskNotFound', async () => {
    await expect(getTask(deps.readModel, ALICE, 1, 9)).rejects.toThrow(TaskNotFound);
  });
});
