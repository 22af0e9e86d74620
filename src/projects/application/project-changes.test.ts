import { describe, expect, test } from 'vitest';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { ProjectName, TaskName } from '../domain/names.ts';
import type { ProjectId, ProjectState } from '../domain/project.ts';
import { changesSince, isUnchanged } from './project-changes.ts';

const at = (iso: string) => new Date(iso);

const loaded: ProjectState = {
  id: 7 as ProjectId,
  ownerId: '0190a6d4-0000-7000-8000-000000000001' as UserId,
  name: 'Garden' as ProjectName,
  maximumNumberOfIncompleteTasks: null,
  createdAt: at('2026-01-01T00:00:00.000Z'),
  archivedAt: null,
  deletedAt: null,
  lastTaskNumber: 2,
  incompleteTaskCount: 1,
  version: 3,
  tasks: [
    {
      number: 2,
      name: 'Dig' as TaskName,
      completedAt: null,
      createdAt: at('2026-01-02T00:00:00.000Z'),
    },
  ],
};

describe('what saving a project must write', () => {
  test('nothing, when the state is the same (dates compared by time, not identity)', () => {
    const copy: ProjectState = structuredClone(loaded);

    expect(isUnchanged(changesSince(loaded, copy))).toBe(true);
  });

  test('the project row alone, when one of its fields changed', () => {
    const renamed = { ...loaded, name: 'Orchard' as ProjectName };

    expect(changesSince(loaded, renamed)).toEqual({
      ownFields: true,
      addedTasks: [],
      changedTasks: [],
    });
  });

  test('a version that moved on is not a change', () => {
    expect(isUnchanged(changesSince(loaded, { ...loaded, version: 4 }))).toBe(true);
  });

  test('a loaded task whose completion time changed', () => {
    const task = { ...loaded.tasks[0]!, completedAt: at('2026-01-03T00:00:00.000Z') };
    const completed = { ...loaded, incompleteTaskCount: 0, tasks: [task] };

    expect(changesSince(loaded, completed)).toEqual({
      ownFields: true,
      addedTasks: [],
      changedTasks: [task],
    });
  });

  test('a task that was not loaded is added', () => {
    const task = {
      number: 3,
      name: 'Plant' as TaskName,
      completedAt: null,
      createdAt: at('2026-01-04T00:00:00.000Z'),
    };
    const grown = {
      ...loaded,
      lastTaskNumber: 3,
      incompleteTaskCount: 2,
      tasks: [...loaded.tasks, task],
    };

    expect(changesSince(loaded, grown)).toEqual({
      ownFields: true,
      addedTasks: [task],
      changedTasks: [],
    });
  });
});
