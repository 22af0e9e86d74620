import { beforeEach, describe, expect, test } from 'vitest';
import { NotAuthenticated } from '../../../building-blocks/application/not-authenticated.ts';
import { ALICE } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { createProject } from './create-project.ts';
import { deleteProjectsOfOwner } from './delete-projects-of-owner.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('CreateProject', () => {
  test('stores a project owned by the actor and returns it', async () => {
    const view = await createProject(
      { actor: ALICE, name: ' Garden ', maximumNumberOfIncompleteTasks: 3 },
      deps,
    );

    expect(view).toEqual({
      id: 1,
      name: 'Garden',
      maximumNumberOfIncompleteTasks: 3,
      numberOfIncompleteTasks: 0,
      archived: false,
      archivedAt: null,
    });
    expect(deps.stored(1)).toMatchObject({ ownerId: ALICE, name: 'Garden', version: 1 });
  });

  test('writes nothing for an invalid name', async () => {
    await expect(createProject({ actor: ALICE, name: 'ab' }, deps)).rejects.toThrow(/name/);

    expect(deps.store.values()).toEqual([]);
  });

  test("refuses, writing nothing, once the actor's account has been deleted", async () => {
    await deleteProjectsOfOwner({ ownerId: ALICE }, deps);

    await expect(createProject({ actor: ALICE, name: 'Garden' }, deps)).rejects.toThrow(
      NotAuthenticated,
    );
    expect(deps.store.values()).toEqual([]);
  });
});
