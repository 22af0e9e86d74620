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
    expect((await listProjects({ actor: ALICE }, deps)).map((p) => p.id)).toEqual([1]);
    expect((await listProjects({ actor: BOB }, deps)).map((p) => p.id)).toEqual([2]);
  });
});
