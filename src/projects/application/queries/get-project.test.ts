import { beforeEach, describe, expect, test } from 'vitest';
import { ProjectNotFound } from '../../domain/errors.ts';
import { ALICE } from '../../domain/testing/project-builder.ts';
import { fakeProjectsOfTwoOwners } from '../testing/two-owners.ts';
import { getProject } from './get-project.ts';

let deps: ReturnType<typeof fakeProjectsOfTwoOwners>;
beforeEach(() => {
  deps = fakeProjectsOfTwoOwners();
});

describe('GetProject', () => {
  test('reads the owner’s project', async () => {
    const { view, version } = await getProject({ actor: ALICE, projectId: 1 }, deps);

    expect(view.name).toBe('Test project');
    expect(version).toBeGreaterThanOrEqual(1);
  });

  test('someone else’s project reads as missing', async () => {
    await expect(getProject({ actor: ALICE, projectId: 2 }, deps)).rejects.toThrow(ProjectNotFound);
  });
});
