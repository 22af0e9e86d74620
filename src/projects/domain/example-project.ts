import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { parseProjectName, parseTaskName } from './names.ts';
import { Project, type ProjectId } from './project.ts';

export const EXAMPLE_PROJECT_NAME = 'My first project';

/**
 * The project every new user starts with: "Sign up!" is already done (at the moment they
 * registered), two more tasks show them the way.
 */
export function exampleProject(props: {
  id: ProjectId;
  ownerId: UserId;
  registeredAt: Date;
}): Project {
  const project = Project.create({
    id: props.id,
    ownerId: props.ownerId,
    name: parseProjectName(EXAMPLE_PROJECT_NAME),
    now: props.registeredAt,
  });
  const signUp = project.addTask(parseTaskName('Sign up!'), props.registeredAt);
  project.completeTask(signUp.number, props.registeredAt);
  project.addTask(parseTaskName('Watch the tutorial'), props.registeredAt);
  project.addTask(parseTaskName('Start using our awesome app'), props.registeredAt);
  return project;
}
