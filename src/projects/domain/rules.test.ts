import { describe, expect, test } from 'vitest';
import {
  MaximumNumberOfIncompleteTasksReached,
  ProjectHasIncompleteTasks,
  ProjectIsArchived,
  ProjectIsNotArchived,
  TaskLimitBelowIncompleteTasks,
} from './errors.ts';
import {
  ensureCanArchive,
  ensureCanDelete,
  ensureLimitAllowsIncompleteTasks,
  ensureNotArchived,
  ensureRoomForAnotherIncompleteTask,
  type ProjectFacts,
} from './rules.ts';
import { parseTaskLimit } from './task-limit.ts';

const facts = (overrides: Partial<ProjectFacts> = {}): ProjectFacts => ({
  isArchived: false,
  incompleteTaskCount: 0,
  maximumNumberOfIncompleteTasks: null,
  ...overrides,
});

describe('project rules', () => {
  test('ensureNotArchived', () => {
    expect(() => ensureNotArchived(facts())).not.toThrow();
    expect(() => ensureNotArchived(facts({ isArchived: true }))).toThrow(ProjectIsArchived);
  });

  test('ensureRoomForAnotherIncompleteTask: no limit, below it, at it', () => {
    expect(() =>
      ensureRoomForAnotherIncompleteTask(facts({ incompleteTaskCount: 99 })),
    ).not.toThrow();
    const limited = { maximumNumberOfIncompleteTasks: parseTaskLimit(3) };
    expect(() =>
      ensureRoomForAnotherIncompleteTask(facts({ ...limited, incompleteTaskCount: 2 })),
    ).not.toThrow();
    expect(() =>
      ensureRoomForAnotherIncompleteTask(facts({ ...limited, incompleteTaskCount: 3 })),
    ).toThrow(MaximumNumberOfIncompleteTasksReached);
  });

  test('ensureLimitAllowsIncompleteTasks: null always, otherwise not below the count', () => {
    const project = facts({ incompleteTaskCount: 2 });
    expect(() => ensureLimitAllowsIncompleteTasks(project, null)).not.toThrow();
    expect(() => ensureLimitAllowsIncompleteTasks(project, parseTaskLimit(2))).not.toThrow();
    expect(() => ensureLimitAllowsIncompleteTasks(project, parseTaskLimit(1))).toThrow(
      TaskLimitBelowIncompleteTasks,
    );
  });

  test('ensureCanArchive carries the number of incomplete tasks', () => {
    expect(() => ensureCanArchive(facts())).not.toThrow();
    try {
      ensureCanArchive(facts({ incompleteTaskCount: 4 }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProjectHasIncompleteTasks);
      expect((error as ProjectHasIncompleteTasks).incompleteTasks).toBe(4);
      expect((error as Error).message).toBe('Project has 4 incomplete tasks');
      expect((error as ProjectHasIncompleteTasks).kind).toBe('conflict');
    }
  });

  test('ensureCanDelete needs an archived project', () => {
    expect(() => ensureCanDelete(facts({ isArchived: true }))).not.toThrow();
    expect(() => ensureCanDelete(facts())).toThrow(ProjectIsNotArchived);
  });
});
