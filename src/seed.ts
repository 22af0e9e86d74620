import { EmailAddressAlreadyTaken, RegisterUser } from './accounts/module.ts';
import type { MessageBus } from './building-blocks/application/message-bus.ts';
import {
  ArchiveProject,
  CompleteTask,
  CreateProject,
  CreateTask,
  DeleteProject,
} from './projects/module.ts';
import type { UserId } from './shared-kernel/domain/user-id.ts';

export const DEMO_EMAIL = 'test@email.com';
/**
 * The original's demo password was `password`, which the list of common passwords now
 * refuses: the demo user gets one that passes the rules it demonstrates. A database seeded
 * before keeps its user and its old password (seeding changes nothing then).
 */
export const DEMO_PASSWORD = 'taskflow-demo';

/**
 * The original's demo data, created through the bus like any client would, so every rule
 * applies. Returns false (and changes nothing) when the demo user already exists.
 */
export async function seedDemoData(bus: MessageBus): Promise<boolean> {
  let userId: UserId;
  try {
    const user = await bus.execute(RegisterUser, { email: DEMO_EMAIL, password: DEMO_PASSWORD });
    userId = user.id as UserId;
  } catch (error) {
    if (error instanceof EmailAddressAlreadyTaken) return false;
    throw error;
  }

  const project = async (name: string, tasks: string[] = []) => {
    const { id } = await bus.execute(CreateProject, { actor: userId, name });
    const numbers = [];
    for (const task of tasks) {
      numbers.push(
        (await bus.execute(CreateTask, { actor: userId, projectId: id, name: task })).number,
      );
    }
    return { id, numbers };
  };
  const complete = (projectId: number, taskNumber: number) =>
    bus.execute(CompleteTask, { actor: userId, projectId, taskNumber });

  const engineering = await project('Software Engineering', ['Read the Pragmatic Programmer']);
  await complete(engineering.id, engineering.numbers[0] as number);

  await project('Learn Domain Driven Design', [
    'Read the blue book',
    'Read the red book',
    'Model a bounded context',
    'Write an aggregate',
  ]);
  await project('Household', ['Clean the kitchen', 'Water the plants']);

  const old = await project('Old stuff', ['Something done long ago']);
  await complete(old.id, old.numbers[0] as number);
  await bus.execute(ArchiveProject, { actor: userId, projectId: old.id });
  await bus.execute(DeleteProject, { actor: userId, projectId: old.id });
  return true;
}
