import { beforeEach, describe, expect, test } from 'vitest';
import { ProjectNotFound } from '../../domain/errors.ts';
import { ALICE } from '../../domain/testing/project-builder.ts';
import { fakeProjectsOfTwoOwners } from '../testing/two-owners.ts';
import { listTasks } from './list-tasks.ts';

let deps: ReturnType<typeof fakeProjectsOfTwoOwners>;
beforeEach(() => {
  deps = fakeProjectsOfTwoOwners();
});

describe('ListTasks', () => {
  test('reads the tasks of the owner’s project, by number', async () => {
    const tasks = (await listTasks({ actor: ALICE, projectId: 1 }, deps)).value();

    expect(tasks.map((t) => t.number)).toEqual([1, 2]);
  });

  test('someone else’s project reads as missing', async () => {
    await expect(listTasks({ actor: ALICE, projectId: 2 }, deps)).rejects.toThrow(ProjectNotFound);
  });
});
