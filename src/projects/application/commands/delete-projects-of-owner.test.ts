import { describe, expect, test } from 'vitest';
import { ALICE, aProject, BOB } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { deleteProjectsOfOwner } from './delete-projects-of-owner.ts';

describe('DeleteProjectsOfOwner', () => {
  test('removes every project of the owner with its tasks, and only theirs', async () => {
    const deps = fakeProjects();
    deps.given(aProject().withId(1).ownedBy(ALICE).withTasks(2));
    deps.given(aProject().withId(2).ownedBy(ALICE).archived());
    deps.given(aProject().withId(3).ownedBy(BOB));

    await deleteProjectsOfOwner({ ownerId: ALICE }, deps);

    expect(deps.stored(1)).toBeUndefined();
    expect(deps.stored(2)).toBeUndefined();
    expect(deps.stored(3)?.ownerId).toBe(BOB);
  });

  test('forgets the answers kept for the owner’s Idempotency-Keys', async () => {
    const deps = fakeProjects();

    await deleteProjectsOfOwner({ ownerId: ALICE }, deps);

    expect(deps.keysForgotten).toEqual([ALICE]);
  });
});
