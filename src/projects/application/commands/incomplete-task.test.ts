import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { completeTask } from './complete-task.ts';
import { incompleteTask } from './incomplete-task.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('IncompleteTask', () => {
  test('clears the completion time of a completed task', async () => {
    const id = deps.given(aProject().withTasks(1));
    await completeTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);

    const reopened = await incompleteTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);

    expect(reopened.completedAt).toBeNull();
    expect(deps.stored(id)?.incompleteTaskCount).toBe(1);
  });
});
