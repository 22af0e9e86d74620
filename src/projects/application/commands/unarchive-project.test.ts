import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { givenProject, storedProject } from '../testing/given-project.ts';
import { archiveProject } from './archive-project.ts';
import { unarchiveProject } from './unarchive-project.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});
const given = (builder: ReturnType<typeof aProject>) => givenProject(deps, builder);
const stored = (id: number) => storedProject(deps, id);

describe('UnarchiveProject', () => {
  test('unarchives an archived project, which can be archived again', async () => {
    const id = given(aProject().withCompletedTasks(2).archived());

    expect((await unarchiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(false);
    expect(stored(id)?.archivedAt).toBeNull();
    expect((await archiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(true);
  });
});
