import type { Insertable, Selectable } from 'kysely';
import {
  readOptionalTimestamp,
  readTimestamp,
} from '../../building-blocks/infrastructure/database/timestamps.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { ProjectName, TaskName } from '../domain/names.ts';
import { Project, type ProjectId, type ProjectState } from '../domain/project.ts';
import type { TaskState } from '../domain/task.ts';
import type { ProjectsTable, TasksTable } from './tables.ts';

export function toProjectRow(state: ProjectState): Insertable<ProjectsTable> {
  return {
    id: state.id,
    owner_id: state.ownerId,
    name: state.name,
    maximum_number_of_incomplete_tasks: state.maximumNumberOfIncompleteTasks,
    created_at: state.createdAt.toISOString(),
    archived_at: state.archivedAt?.toISOString() ?? null,
    deleted_at: state.deletedAt?.toISOString() ?? null,
    last_task_number: state.lastTaskNumber,
    incomplete_task_count: state.incompleteTaskCount,
    version: state.version,
  };
}

export function toTaskRow(projectId: ProjectId, task: TaskState): Insertable<TasksTable> {
  return {
    project_id: projectId,
    number: task.number,
    name: task.name,
    completed_at: task.completedAt?.toISOString() ?? null,
    created_at: task.createdAt.toISOString(),
  };
}

export function fromRows(
  row: Selectable<ProjectsTable>,
  taskRows: readonly Selectable<TasksTable>[],
): Project {
  return Project.restore({
    id: row.id as ProjectId,
    ownerId: row.owner_id as UserId,
    name: row.name as ProjectName,
    maximumNumberOfIncompleteTasks: row.maximum_number_of_incomplete_tasks,
    createdAt: readTimestamp(row.created_at),
    archivedAt: readOptionalTimestamp(row.archived_at),
    deletedAt: readOptionalTimestamp(row.deleted_at),
    lastTaskNumber: row.last_task_number,
    incompleteTaskCount: row.incomplete_task_count,
    version: row.version,
    tasks: taskRows.map(fromTaskRow),
  });
}

function fromTaskRow(row: Selectable<TasksTable>): TaskState {
  return {
    number: row.number,
    name: row.name as TaskName,
    completedAt: readOptionalTimestamp(row.completed_at),
    createdAt: readTimestamp(row.created_at),
  };
}
