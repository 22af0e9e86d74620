import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { archiveProject } from './archive-project.ts';
import { unarchiveProject } from './unarchive-project.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('UnarchiveProject', () => {
  test('unarchives an archived project, which can be archived again', async () => {
    const id = deps.given(aProject().withCompletedTasks(2).archived());

    expect((await unarchiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(false);
    expect(deps.stored(id)?.archivedAt).toBeNull();
    expect((await archiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(true);
  });
});
