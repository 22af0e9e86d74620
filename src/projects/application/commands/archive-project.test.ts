import { beforeEach, describe, expect, test } from 'vitest';
import { ProjectHasIncompleteTasks } from '../../domain/errors.ts';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { givenProject, storedProject } from '../testing/given-project.ts';
import { archiveProject } from './archive-project.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});
const given = (builder: ReturnType<typeof aProject>) => givenProject(deps, builder);
const stored = (id: number) => storedProject(deps, id);

describe('ArchiveProject', () => {
  test('refuses open tasks and writes nothing', async () => {
    const id = given(aProject().withTasks(2));

    await expect(archiveProject({ actor: ALICE, projectId: id }, deps)).rejects.toThrow(
      ProjectHasIncompleteTasks,
    );
    expect(stored(id)?.archivedAt).toBeNull();
  });

  test('archives a project whose tasks are all complete', async () => {
    const id = given(aProject().withCompletedTasks(2));

    expect((await archiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(true);
    expect(stored(id)?.archivedAt).toEqual(deps.clock.now());
  });
});
