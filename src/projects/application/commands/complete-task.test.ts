import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { completeTask } from './complete-task.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('CompleteTask', () => {
  test('stamps the time and stores one incomplete task fewer', async () => {
    const id = deps.given(aProject().withTasks(2));

    const completed = await completeTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);

    expect(completed.completedAt).toBe(deps.clock.now().toISOString());
    expect(deps.stored(id)?.incompleteTaskCount).toBe(1);
  });

  test('a missing task is TaskNotFound', async () => {
    const id = deps.given(aProject().withTasks(1));

    await expect(
      completeTask({ actor: ALICE, projectId: id, taskNumber: 2 }, deps),
    ).rejects.toThrow('Task 2 was not found in this project.');
  });
});
