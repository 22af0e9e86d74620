import { beforeEach, describe, expect, test } from 'vitest';
import { MessageBus } from '../../building-blocks/application/message-bus.ts';
import { UserAccountCreated } from '../../shared-kernel/domain/user-account-created.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { CreateExampleProject, createExampleProject } from './commands/create-example-project.ts';
import { giveNewUserAnExampleProject } from './event-handlers.ts';
import { fakeProjects } from './testing/fake-projects.ts';

let deps: ReturnType<typeof fakeProjects>;
beforeEach(() => {
  deps = fakeProjects();
});

describe('the starter project', () => {
  test('UserAccountCreated leads to CreateExampleProject through the bus', async () => {
    const bus = new MessageBus();
    bus.handle(CreateExampleProject, (command) => createExampleProject(command, deps));
    const userId = '00000000-0000-7000-8000-0000000000aa' as UserId;

    await giveNewUserAnExampleProject(bus)(
      UserAccountCreated.create({
        userId,
        email: 'new@example.com',
        occurredAt: '2026-05-05T05:05:05.000Z',
      }),
    );

    expect((await deps.readModel.listProjectSummaries(userId)).value()).toEqual([
      { id: 1, name: 'My first project' },
    ]);
  });
});
