import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { givenProject, storedProject } from '../testing/given-project.ts';
import { completeTask } from './complete-task.ts';
import { incompleteTask } from './incomplete-task.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});
const given = (builder: ReturnType<typeof aProject>) => givenProject(deps, builder);
const stored = (id: number) => storedProject(deps, id);

describe('IncompleteTask', () => {
  test('clears the completion time of a completed task', async () => {
    const id = given(aProject().withTasks(1));
    await completeTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);

    const reopened = await incompleteTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);

    expect(reopened.completedAt).toBeNull();
    expect(stored(id)?.incompleteTaskCount).toBe(1);
  });
});
