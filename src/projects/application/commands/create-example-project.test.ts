import { beforeEach, describe, expect, test } from 'vitest';
import { BOB } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { storedProject } from '../testing/given-project.ts';
import { createExampleProject } from './create-example-project.ts';

let deps: ReturnType<typeof fakeProjects>;
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

    const state = storedProject(deps, view.id);
    expect(state?.ownerId).toBe(owner);
    expect(state?.tasks[0]).toMatchObject({
      name: 'Sign up!',
      completedAt: new Date('2026-05-05T05:05:05.000Z'),
    });
  });
});
