import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { updateProject } from './update-project.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('UpdateProject', () => {
  test('renames and changes the limit; left-out fields stay', async () => {
    const id = deps.given(
      aProject().named('Old name').withLimit(4).withCompletedTasks(1).withTasks(2),
    );

    const view = await updateProject({ actor: ALICE, projectId: id, name: 'New name' }, deps);

    expect(view).toMatchObject({
      name: 'New name',
      maximumNumberOfIncompleteTasks: 4,
      numberOfIncompleteTasks: 2,
    });
    expect(deps.stored(id)?.version).toBe(2);
  });
});
