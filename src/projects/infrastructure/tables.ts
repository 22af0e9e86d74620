import type { Timestamp } from '../../building-blocks/infrastructure/database/timestamps.ts';
import type { TaskLimit } from '../domain/task-limit.ts';

export interface ProjectsTable {
  id: number;
  owner_id: string;
  name: string;
  /** Written only from a project's parsed limit, so read back as one. */
  maximum_number_of_incomplete_tasks: TaskLimit | null;
  created_at: Timestamp;
  archived_at: Timestamp | null;
  deleted_at: Timestamp | null;
  last_task_number: number;
  incomplete_task_count: number;
  version: number;
}

export interface TasksTable {
  project_id: number;
  number: number;
  name: string;
  completed_at: Timestamp | null;
  created_at: Timestamp;
}

export interface SequencesTable {
  name: string;
  value: number;
}

/** An owner of projects; `retired_at` once their account is deleted (see ProjectOwners). */
export interface OwnersTable {
  id: string;
  retired_at: Timestamp | null;
  welcomed_at: Timestamp | null;
}

/** The tables `projects` owns: schema `projects` on PostgreSQL, prefix `projects_` on SQLite. */
export type ProjectsTables = {
  'projects.projects': ProjectsTable;
  'projects.tasks': TasksTable;
  'projects.sequences': SequencesTable;
  'projects.owners': OwnersTable;
};
