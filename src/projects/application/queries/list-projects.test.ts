import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, BOB } from '../../domain/testing/project-builder.ts';
import { fakeProjectsOfTwoOwners } from '../testing/two-owners.ts';
import { listProjects } from './list-projects.ts';

let deps: ReturnType<typeof fakeProjectsOfTwoOwners>;
beforeEach(() => {
  deps = fakeProjectsOfTwoOwners();
});

describe('ListProjects', () => {
  test('lists the actor’s projects and no one else’s', async () => {
    const ids = async (actor: typeof ALICE) =>
      (await listProjects({ actor, limit: 50 }, deps)).items.map((p) => p.id);

    expect(await ids(ALICE)).toEqual([1]);
    expect(await ids(BOB)).toEqual([2]);
  });
});
