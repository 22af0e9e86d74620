import { beforeEach, describe, expect, test } from 'vitest';
import { BOB } from '../../domain/testing/project-builder.ts';
import { type FakeProjects, fakeProjects } from '../testing/fake-projects.ts';
import { createExampleProject } from './create-example-project.ts';

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

    const state = deps.stored(view.id);
    expect(state?.ownerId).toBe(owner);
    expect(state?.tasks[0]).toMatchObject({
      name: 'Sign up!',
      completedAt: new Date('2026-05-05T05:05:05.000Z'),
    });
  });
});
