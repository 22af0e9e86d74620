import { beforeEach, describe, expect, test } from 'vitest';
import { BOB } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { createExampleProject } from './create-example-project.ts';
import { deleteProjectsOfOwner } from './delete-projects-of-owner.ts';

let deps: FakeProjects;
beforeEach(() => {
  deps = fakeProjects();
});

describe('CreateExampleProject', () => {
  test('stores "My first project" for the new user', async () => {
    const owner = BOB;

    const view = await createExampleProject(
      { ownerId: owner, registeredAt: new Date('2026-05-05T05:05:05.000Z') },
      deps,
    );

    const state = deps.stored(view?.id ?? 0);
    expect(state?.ownerId).toBe(owner);
    expect(state?.tasks[0]).toMatchObject({
      name: 'Sign up!',
      completedAt: new Date('2026-05-05T05:05:05.000Z'),
    });
  });

  test('makes none for an owner whose account was deleted before it came to it', async () => {
    await deleteProjectsOfOwner({ ownerId: BOB }, deps);

    const view = await createExampleProject({ ownerId: BOB, registeredAt: new Date() }, deps);

    expect(view).toBeUndefined();
    expect(deps.store.values()).toEqual([]);
  });

  test('makes one per owner, however often their registration is announced', async () => {
    const command = { ownerId: BOB, registeredAt: new Date() };

    expect(await createExampleProject(command, deps)).toBeDefined();
    expect(await createExampleProject(command, deps)).toBeUndefined();

    expect(deps.store.values()).toHaveLength(1);
  });
});
