import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { givenProject, storedProject } from '../testing/given-project.ts';
import { completeTask } from './complete-task.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});
const given = (builder: ReturnType<typeof aProject>) => givenProject(deps, builder);
const stored = (id: number) => storedProject(deps, id);

describe('CompleteTask', () => {
  test('stamps the time and stores one incomplete task fewer', async () => {
    const id = given(aProject().withTasks(2));

    const completed = await completeTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);

    expect(completed.completedAt).toBe(deps.clock.now().toISOString());
    expect(stored(id)?.incompleteTaskCount).toBe(1);
  });

  test('a missing task is TaskNotFound', async () => {
    const id = given(aProject().withTasks(1));

    await expect(
      completeTask({ actor: ALICE, projectId: id, taskNumber: 2 }, deps),
    ).rejects.toThrow('Task 2 was not found in this project.');
  });
});
