import { beforeEach, describe, expect, test } from 'vitest';
import { fromJson } from '../../../building-blocks/application/json.ts';
import { MessageBus } from '../../../building-blocks/application/message-bus.ts';
import { UserAccountCreated } from '../../../shared-kernel/domain/user-account-created.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import {
  MaximumNumberOfIncompleteTasksReached,
  ProjectHasIncompleteTasks,
  ProjectNotFound,
} from '../../domain/errors.ts';
import type { ProjectId } from '../../domain/project.ts';
import { ALICE, aProject, BOB } from '../../domain/testing/project-builder.ts';
import { giveNewUserAnExampleProject } from '../event-handlers.ts';
import { fakeProjects } from '../testing/fake-projects.ts';
import { archiveProject } from './archive-project.ts';
import { completeTask } from './complete-task.ts';
import { CreateExampleProject, createExampleProject } from './create-example-project.ts';
import { createProject } from './create-project.ts';
import { createTask } from './create-task.ts';
import { deleteProject } from './delete-project.ts';
import { incompleteTask } from './incomplete-task.ts';
import { unarchiveProject } from './unarchive-project.ts';
import { updateProject } from './update-project.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});

/** Puts a project into the fake store as if an earlier command had saved it. */
function given(builder: ReturnType<typeof aProject>): ProjectId {
  const project = builder.build();
  deps.store.set(project.id, project.toState());
  deps.store.lastId = Math.max(deps.store.lastId, project.id);
  return project.id;
}

const stored = (id: number) => deps.store.get(id as ProjectId);

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
      archived: false,
      archivedAt: null,
    });
    expect(stored(1)).toMatchObject({ ownerId: ALICE, name: 'Garden', version: 1 });
  });

  test('writes nothing for an invalid name', async () => {
    await expect(createProject({ actor: ALICE, name: 'ab' }, deps)).rejects.toThrow(/name/);

    expect(deps.store.values()).toEqual([]);
  });
});

describe('commands on an existing project', () => {
  test('another user’s project is not found, for every command, and stays as it was', async () => {
    const id = given(aProject().ownedBy(ALICE).withTasks(1));
    const before = stored(id);
    const command = { actor: BOB, projectId: id };

    const attempts = [
      updateProject({ ...command, name: 'Taken over' }, deps),
      archiveProject(command, deps),
      unarchiveProject(command, deps),
      deleteProject(command, deps),
      createTask({ ...command, name: 'Injected' }, deps),
      completeTask({ ...command, taskNumber: 1 }, deps),
      incompleteTask({ ...command, taskNumber: 1 }, deps),
    ];

    for (const attempt of attempts) await expect(attempt).rejects.toThrow(ProjectNotFound);
    expect(stored(id)).toEqual(before);
  });

  test('a deleted project is not found', async () => {
    const id = given(aProject().archived());
    await deleteProject({ actor: ALICE, projectId: id }, deps);

    await expect(unarchiveProject({ actor: ALICE, projectId: id }, deps)).rejects.toThrow(
      ProjectNotFound,
    );
  });

  test('an id that is not a positive whole number is not found', async () => {
    await expect(archiveProject({ actor: ALICE, projectId: -1 }, deps)).rejects.toThrow(
      ProjectNotFound,
    );
  });
});

describe('UpdateProject', () => {
  test('renames and changes the limit; left-out fields stay', async () => {
    const id = given(aProject().named('Old name').withLimit(4));

    const view = await updateProject({ actor: ALICE, projectId: id, name: 'New name' }, deps);

    expect(view).toMatchObject({ name: 'New name', maximumNumberOfIncompleteTasks: 4 });
    expect(stored(id)?.version).toBe(2);
  });
});

describe('CreateTask', () => {
  test('adds the next task and stores it with the project', async () => {
    const id = given(aProject().withTasks(2));

    const task = await createTask({ actor: ALICE, projectId: id, name: 'Third task' }, deps);

    expect(task).toEqual({ number: 3, name: 'Third task', completedAt: null });
    expect(stored(id)?.tasks.map((t) => t.number)).toEqual([1, 2, 3]);
    expect(stored(id)?.incompleteTaskCount).toBe(3);
  });

  test('a rule that says no rolls back: nothing is written', async () => {
    const id = given(aProject().withTasks(1).withLimit(1));
    const before = stored(id);

    await expect(
      createTask({ actor: ALICE, projectId: id, name: 'One too many' }, deps),
    ).rejects.toThrow(MaximumNumberOfIncompleteTasksReached);

    expect(stored(id)).toEqual(before);
    expect(deps.uow.rollbacks).toBe(1);
    expect(deps.uow.commits).toBe(0);
  });
});

describe('CompleteTask and IncompleteTask', () => {
  test('complete stamps the time; incomplete clears it', async () => {
    const id = given(aProject().withTasks(1));

    const completed = await completeTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);
    const reopened = await incompleteTask({ actor: ALICE, projectId: id, taskNumber: 1 }, deps);

    expect(completed.completedAt).toBe(deps.clock.now().toISOString());
    expect(reopened.completedAt).toBeNull();
    expect(stored(id)?.incompleteTaskCount).toBe(1);
  });

  test('a missing task is TaskNotFound', async () => {
    const id = given(aProject().withTasks(1));

    await expect(
      completeTask({ actor: ALICE, projectId: id, taskNumber: 2 }, deps),
    ).rejects.toThrow('Task 2 was not found in this project.');
  });
});

describe('ArchiveProject, UnarchiveProject, DeleteProject', () => {
  test('archive refuses open tasks and writes nothing', async () => {
    const id = given(aProject().withTasks(2));

    await expect(archiveProject({ actor: ALICE, projectId: id }, deps)).rejects.toThrow(
      ProjectHasIncompleteTasks,
    );
    expect(stored(id)?.archivedAt).toBeNull();
  });

  test('archive, unarchive, archive and delete', async () => {
    const id = given(aProject().withCompletedTasks(2));

    expect((await archiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(true);
    expect((await unarchiveProject({ actor: ALICE, projectId: id }, deps)).archived).toBe(false);
    await archiveProject({ actor: ALICE, projectId: id }, deps);
    await deleteProject({ actor: ALICE, projectId: id }, deps);

    expect(stored(id)?.deletedAt).toEqual(deps.clock.now());
  });
});

describe('the starter project', () => {
  test('CreateExampleProject stores "My first project" for the new user', async () => {
    const owner = BOB;

    const view = await createExampleProject(
      { ownerId: owner, registeredAt: new Date('2026-05-05T05:05:05.000Z') },
      deps,
    );

    const state = stored(view.id);
    expect(state?.ownerId).toBe(owner);
    expect(state?.tasks[0]).toMatchObject({
      name: 'Sign up!',
      completedAt: new Date('2026-05-05T05:05:05.000Z'),
    });
  });

  test('UserAccountCreated leads to CreateExampleProject through the bus', async () => {
    const bus = new MessageBus();
    bus.handle(CreateExampleProject, (command) => createExampleProject(command, deps));
    bus.subscribe(UserAccountCreated, 'example', giveNewUserAnExampleProject(bus));
    const userId = '00000000-0000-7000-8000-0000000000aa' as UserId;

    await bus.publish(
      UserAccountCreated.create({
        userId,
        email: 'new@example.com',
        occurredAt: '2026-05-05T05:05:05.000Z',
      }),
    );

    expect(fromJson(await deps.readModel.listProjectSummaries(userId))).toEqual([
      { id: 1, name: 'My first project' },
    ]);
  });
});
