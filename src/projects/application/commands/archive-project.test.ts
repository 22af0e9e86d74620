import { beforeEach, describe, expect, test } from 'vitest';
import { ProjectHasIncompleteTasks } from '../../domain/errors.ts';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { archiveProject } from './archive-project.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('ArchiveProject', () => {
  test('refuses open tasks and writes nothing', async () => {
    const id = deps.given(aProject().withTasks(2));

    await expect(archiveProject({ actor: ALICE, projectId: id }, deps)).rejects.toThrow(
      ProjectHasIncompleteTasks,
    );
    expect(deps.stored(id)?.archivedAt).toBeNull();
  });

  test('archives a project whose tasks are all complete', async () => {
    const id = deps.given(aProject().withCompletedTasks(2));

    expect((await archiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(true);
    expect(deps.stored(id)?.archivedAt).toEqual(deps.clock.now());
  });
});
