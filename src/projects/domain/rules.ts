import {
  MaximumNumberOfIncompleteTasksReached,
  ProjectHasIncompleteTasks,
  ProjectIsArchived,
  ProjectIsNotArchived,
  TaskLimitBelowIncompleteTasks,
} from './errors.ts';
import type { TaskLimit } from './task-limit.ts';

/**
 * The project's rules, each a sentence of the domain. They read the few facts a rule
 * needs, so they can be tested on their own.
 */
export interface ProjectFacts {
  readonly isArchived: boolean;
  readonly incompleteTaskCount: number;
  readonly maximumNumberOfIncompleteTasks: TaskLimit | null;
}

export function ensureNotArchived(project: ProjectFacts): void {
  if (project.isArchived) throw new ProjectIsArchived();
}

export function ensureRoomForAnotherIncompleteTask(project: ProjectFacts): void {
  const maximum = project.maximumNumberOfIncompleteTasks;
  if (maximum !== null && project.incompleteTaskCount >= maximum) {
    throw new MaximumNumberOfIncompleteTasksReached(maximum);
  }
}

export function ensureLimitAllowsIncompleteTasks(
  project: ProjectFacts,
  limit: TaskLimit | null,
): void {
  if (limit !== null && project.incompleteTaskCount > limit) {
    throw new TaskLimitBelowIncompleteTasks(limit, project.incompleteTaskCount);
  }
}

export function ensureCanArchive(project: ProjectFacts): void {
  if (project.incompleteTaskCount > 0) {
    throw new ProjectHasIncompleteTasks(project.incompleteTaskCount);
  }
}

export function ensureCanDelete(project: ProjectFacts): void {
  if (!project.isArchived) throw new ProjectIsNotArchived();
}
