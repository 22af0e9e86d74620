import { beforeEach, describe, expect, test } from 'vitest';
import { ProjectNotFound } from '../../domain/errors.ts';
import { ALICE, aProject, BOB } from '../../domain/testing/project-builder.ts';
import { projectTag, StaleCopy, taskTag } from '../entity-tags.ts';
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

describe('If-Match, checked on the state the command loaded', () => {
  test('a project command runs only when the project still has one of the tags', async () => {
    const id = deps.given(aProject().ownedBy(ALICE).named('Old name'));
    const stale = { actor: ALICE, projectId: id, ifMatch: ['7', projectTag(0)] };

    await expect(updateProject({ ...stale, name: 'New name' }, deps)).rejects.toThrow(StaleCopy);
    await expect(archiveProject(stale, deps)).rejects.toThrow(StaleCopy);
    expect(deps.stored(id)).toMatchObject({ name: 'Old name', version: 1 });

    const current = { actor: ALICE, projectId: id, ifMatch: ['7', projectTag(1)] };
    await updateProject({ ...current, name: 'New name' }, deps);
    expect(deps.stored(id)).toMatchObject({ name: 'New name', version: 2 });
  });

  test('a task command compares the task’s tag, which other tasks do not move', async () => {
    const id = deps.given(aProject().ownedBy(ALICE).withTasks(2));
    const open = taskTag({ number: 1, name: 'Open task 1', completedAt: null });
    await completeTask({ actor: ALICE, projectId: id, taskNumber: 2 }, deps);

    await completeTask({ actor: ALICE, projectId: id, taskNumber: 1, ifMatch: [open] }, deps);
    await expect(
      incompleteTask({ actor: ALICE, projectId: id, taskNumber: 1, ifMatch: [open] }, deps),
    ).rejects.toThrow(StaleCopy);
    expect(deps.stored(id)?.tasks.find((t) => t.number === 1)?.completedAt).not.toBeNull();
  });
});
