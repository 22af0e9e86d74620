import { beforeEach, describe, expect, test } from 'vitest';
import { MaximumNumberOfIncompleteTasksReached } from '../../domain/errors.ts';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { createTask } from './create-task.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('CreateTask', () => {
  test('adds the next task and stores it with the project', async () => {
    const id = deps.given(aProject().withTasks(2));

    const task = await createTask({ actor: ALICE, projectId: id, name: 'Third task' }, deps);

    expect(task).toEqual({ number: 3, name: 'Third task', completedAt: null });
    expect(deps.stored(id)?.tasks.map((t) => t.number)).toEqual([1, 2, 3]);
    expect(deps.stored(id)?.incompleteTaskCount).toBe(3);
  });

  test('a rule that says no rolls back: nothing is written', async () => {
    const id = deps.given(aProject().withTasks(1).withLimit(1));
    const before = deps.stored(id);

    await expect(
      createTask({ actor: ALICE, projectId: id, name: 'One too many' }, deps),
    ).rejects.toThrow(MaximumNumberOfIncompleteTasksReached);

    expect(deps.stored(id)).toEqual(before);
    expect(deps.uow.rollbacks).toBe(1);
    expect(deps.uow.commits).toBe(0);
  });
});
