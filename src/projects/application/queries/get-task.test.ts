import { beforeEach, describe, expect, test } from 'vitest';
import { ProjectNotFound, TaskNotFound } from '../../domain/errors.ts';
import { ALICE } from '../../domain/testing/project-builder.ts';
import { fakeProjectsOfTwoOwners } from '../testing/two-owners.ts';
import { getTask } from './get-task.ts';

let deps: ReturnType<typeof fakeProjectsOfTwoOwners>;
beforeEach(() => {
  deps = fakeProjectsOfTwoOwners();
});

describe('GetTask', () => {
  test('reads a task of the owner’s project', async () => {
    expect((await getTask({ actor: ALICE, projectId: 1, taskNumber: 2 }, deps)).name).toBe(
      'Open task 2',
    );
  });

  test('someone else’s project reads as missing', async () => {
    await expect(getTask({ actor: ALICE, projectId: 2, taskNumber: 1 }, deps)).rejects.toThrow(
      ProjectNotFound,
    );
  });

  test('a missing task in an existing project is TaskNotFound', async () => {
    await expect(getTask({ actor: ALICE, projectId: 1, taskNumber: 9 }, deps)).rejects.toThrow(
      TaskNotFound,
    );
  });
});
