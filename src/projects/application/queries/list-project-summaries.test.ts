import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE } from '../../domain/testing/project-builder.ts';
import { fakeProjectsOfTwoOwners } from '../testing/two-owners.ts';
import { listProjectSummaries } from './list-project-summaries.ts';

let deps: ReturnType<typeof fakeProjectsOfTwoOwners>;
beforeEach(() => {
  deps = fakeProjectsOfTwoOwners();
});

describe('ListProjectSummaries', () => {
  test('gives the id and name of each of the owner’s projects', async () => {
    const summaries = await listProjectSummaries({ ownerId: ALICE }, deps);

    expect(summaries.value()).toEqual([{ id: 1, name: 'Test project' }]);
  });
});
