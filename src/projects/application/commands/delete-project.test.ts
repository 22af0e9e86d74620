import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { givenProject, storedProject } from '../testing/given-project.ts';
import { archiveProject } from './archive-project.ts';
import { deleteProject } from './delete-project.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});
const given = (builder: ReturnType<typeof aProject>) => givenProject(deps, builder);
const stored = (id: number) => storedProject(deps, id);

describe('DeleteProject', () => {
  test('deletes a project once it is archived', async () => {
    const id = given(aProject().withCompletedTasks(2));
    await archiveProject({ actor: ALICE, projectId: id }, deps);

    await deleteProject({ actor: ALICE, projectId: id }, deps);

    expect(stored(id)?.deletedAt).toEqual(deps.clock.now());
  });
});
