import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { parseProjectName, parseTaskName } from '../names.ts';
import { Project, type ProjectId } from '../project.ts';
import { parseTaskLimit } from '../task-limit.ts';

export const ALICE = '00000000-0000-7000-8000-00000000a11c' as UserId;
export const BOB = '00000000-0000-7000-8000-000000000b0b' as UserId;
export const NOW = new Date('2026-01-02T03:04:05.000Z');

/**
 * Test data that reads like the domain:
 * `aProject().withTasks(3).withCompletedTasks(1).archived().build()`.
 * Built through the aggregate's own behaviour, so every instance obeys the rules.
 */
export function aProject() {
  let id = 1;
  let ownerId = ALICE;
  let name = 'Test project';
  let limit: number | null = null;
  let open = 0;
  let completed = 0;
  let archived = false;
  let stored = true;

  const builder = {
    withId(value: number) {
      id = value;
      return builder;
    },
    ownedBy(value: UserId) {
      ownerId = value;
      return builder;
    },
    named(value: string) {
      name = value;
      return builder;
    },
    withLimit(value: number | null) {
      limit = value;
      return builder;
    },
    withTasks(count: number) {
      open = count;
      return builder;
    },
    withCompletedTasks(count: number) {
      completed = count;
      return builder;
    },
    archived() {
      archived = true;
      return builder;
    },
    /** A project never stored (version 0), as a handler has it right after creating it. */
    notStored() {
      stored = false;
      return builder;
    },
    build(): Project {
      const project = Project.create({
        id: id as ProjectId,
        ownerId,
        name: parseProjectName(name),
        now: NOW,
      });
      for (let i = 0; i < completed; i++) {
        const task = project.addTask(parseTaskName(`Done task ${i + 1}`), NOW);
        project.completeTask(task.number, NOW);
      }
      for (let i = 0; i < open; i++) project.addTask(parseTaskName(`Open task ${i + 1}`), NOW);
      if (limit !== null) project.changeMaximumNumberOfIncompleteTasks(parseTaskLimit(limit));
      if (archived) project.archive(NOW);
      const state = project.toState();
      return Project.restore({ ...state, version: stored ? 1 : 0 });
    },
  };
  return builder;
}
