import { beforeEach, describe, expect, test } from 'vitest';
import { ProjectNotFound } from '../../domain/errors.ts';
import { ALICE, aProject, BOB } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { archiveProject } from './archive-project.ts';
import { completeTask } from './complete-task.ts';
import { createTask } from './create-task.ts';
import { deleteProject } from './delete-project.ts';
import { incompleteTask } from './incomplete-task.ts';
import { unarchiveProject } from './unarchive-project.ts';
import { updateProject } from './update-project.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('commands on an existing project', () => {
  test('another user’s project is not found, for every command, and stays as it was', async () => {
    const id = deps.given(aProject().ownedBy(ALICE).withTasks(1));
    const before = deps.stored(id);
    const command = { actor: BOB, projectId: id };

    const attempts = [
      updateProject({ ...command, name: 'Taken over' }, deps),
      archiveProject(command, deps),
      unarchiveProject(command, deps),
      deleteProject(command, deps),
      createTask({ ...command, name: 'Injected' }, deps),
      completeTask({ ...command, taskNumber: 1 }, deps),
      incompleteTask({ ...command, taskNumber: 1 }, deps),
    ];

    for (const attempt of attempts) await expect(attempt).rejects.toThrow(ProjectNotFound);
    expect(deps.stored(id)).toEqual(before);
  });

  test('a deleted project is not found', async () => {
    const id = deps.given(aProject().archived());
    await deleteProject({ actor: ALICE, projectId: id }, deps);

    await expect(unarchiveProject({ actor: ALICE, projectId: id }, deps)).rejects.toThrow(
      ProjectNotFound,
    );
  });

  test('an id that is not a positive whole number is not found', async () => {
    await expect(archiveProject({ actor: ALICE, projectId: -1 }, deps)).rejects.toThrow(
      ProjectNotFound,
    );
  });
});
