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
    const page = await listTasks({ actor: ALICE, projectId: 1, limit: 50 }, deps);

    expect(page.items.value().map((t) => t.number)).toEqual([1, 2]);
    expect(page.next).toBeNull();
  });

  test('someone else’s project reads as missing', async () => {
    await expect(listTasks({ actor: ALICE, projectId: 2, limit: 50 }, deps)).rejects.toThrow(
      ProjectNotFound,
    );
  });
});
