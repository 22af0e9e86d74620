import { beforeEach, describe, expect, test } from 'vitest';
import { ALICE, aProject } from '../../domain/testing/project-builder.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { givenProject, storedProject } from '../testing/given-project.ts';
import { updateProject } from './update-project.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});
const given = (builder: ReturnType<typeof aProject>) => givenProject(deps, builder);
const stored = (id: number) => storedProject(deps, id);

describe('UpdateProject', () => {
  test('renames and changes the limit; left-out fields stay', async () => {
    const id = given(aProject().named('Old name').withLimit(4));

    const view = await updateProject({ actor: ALICE, projectId: id, name: 'New name' }, deps);

    expect(view).toMatchObject({ name: 'New name', maximumNumberOfIncompleteTasks: 4 });
    expect(stored(id)?.version).toBe(2);
  });
});
