import type { Project } from '../domain/project.ts';
import type { Task } from '../domain/task.ts';

/** What clients see of a project: an allow-list, so a new field never leaks by accident. */
export interface ProjectView {
  id: number;
  name: string;
  maximumNumberOfIncompleteTasks: number | null;
  numberOfIncompleteTasks: number;
  archived: boolean;
  archivedAt: string | null;
}

/** A project as `GET /users/me` lists it. */
export interface ProjectSummary {
  id: number;
  name: string;
}

export interface TaskView {
  number: number;
  name: string;
  completedAt: string | null;
}

export function projectView(project: Project): ProjectView {
  return {
    id: project.id,
    name: project.name,
    maximumNumberOfIncompleteTasks: project.maximumNumberOfIncompleteTasks,
    numberOfIncompleteTasks: project.incompleteTaskCount,
    archived: project.isArchived,
    archivedAt: project.archivedAt?.toISOString() ?? null,
  };
}

export function taskView(task: Task): TaskView {
  return {
    number: task.number,
    name: task.name,
    completedAt: task.completedAt?.toISOString() ?? null,
  };
}
