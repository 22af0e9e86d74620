import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { archiveProject } from './archive-project.ts';
import { deleteProject } from './delete-project.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('DeleteProject', () => {
  test('deletes a project once it is archived', async () => {
    const id = deps.given(aProject().withCompletedTasks(2));
    await archiveProject({ actor: ALICE, projectId: id }, deps);

    await deleteProject({ actor: ALICE, projectId: id }, deps);

    expect(deps.stored(id)?.deletedAt).toEqual(deps.clock.now());
  });
});
