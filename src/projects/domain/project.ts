import { AggregateRoot } from '../../building-blocks/domain/aggregate-root.ts';
import type { Brand } from '../../building-blocks/domain/brand.ts';
import { ProjectCreated } from '../../shared-kernel/domain/project-created.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { TaskNotFound } from './errors.ts';
import type { ProjectName, TaskName } from './names.ts';
import {
  ensureCanArchive,
  ensureCanDelete,
  ensureLimitAllowsIncompleteTasks,
  ensureNotArchived,
  ensureRoomForAnotherIncompleteTask,
  type ProjectFacts,
} from './rules.ts';
import { Task, type TaskState } from './task.ts';
import type { TaskLimit } from './task-limit.ts';

export type ProjectId = Brand<number, 'ProjectId'>;

export interface ProjectState {
  id: ProjectId;
  ownerId: UserId;
  name: ProjectName;
  maximumNumberOfIncompleteTasks: TaskLimit | null;
  createdAt: Date;
  archivedAt: Date | null;
  deletedAt: Date | null;
  /** The highest task number handed out; numbers are never reused. */
  lastTaskNumber: number;
  incompleteTaskCount: number;
  version: number;
  /** The tasks loaded for this command, not necessarily all of them. */
  tasks: TaskState[];
}

/**
 * A project and its tasks: the consistency boundary for task numbers, the limit on
 * incomplete tasks and archiving.
 *
 * The aggregate keeps the counters its rules need (last task number, incomplete-task
 * count) and holds only the tasks a command touches, so adding a task to a project with
 * 10,000 tasks costs what it costs with 10. See docs/adr/0003-project-aggregate-counters.md.
 */
export class Project extends AggregateRoot<ProjectId, ProjectCreated> implements ProjectFacts {
  readonly ownerId: UserId;
  readonly createdAt: Date;
  #name: ProjectName;
  #maximumNumberOfIncompleteTasks: TaskLimit | null;
  #archivedAt: Date | null;
  #deletedAt: Date | null;
  #lastTaskNumber: number;
  #incompleteTaskCount: number;
  readonly #tasks: Map<number, Task>;

  private constructor(state: ProjectState) {
    super(state.id, state.version);
    this.ownerId = state.ownerId;
    this.createdAt = state.createdAt;
    this.#name = state.name;
    this.#maximumNumberOfIncompleteTasks = state.maximumNumberOfIncompleteTasks;
    this.#archivedAt = state.archivedAt;
    this.#deletedAt = state.deletedAt;
    this.#lastTaskNumber = state.lastTaskNumber;
    this.#incompleteTaskCount = state.incompleteTaskCount;
    this.#tasks = new Map(state.tasks.map((task) => [task.number, new Task(task)]));
  }

  static create(props: {
    id: ProjectId;
    ownerId: UserId;
    name: ProjectName;
    maximumNumberOfIncompleteTasks?: TaskLimit | null;
    now: Date;
  }): Project {
    const project = new Project({
      id: props.id,
      ownerId: props.ownerId,
      name: props.name,
      maximumNumberOfIncompleteTasks: props.maximumNumberOfIncompleteTasks ?? null,
      createdAt: props.now,
      archivedAt: null,
      deletedAt: null,
      lastTaskNumber: 0,
      incompleteTaskCount: 0,
      version: 0,
      tasks: [],
    });
    project.record(
      ProjectCreated.create({ projectId: props.id, ownerId: props.ownerId, name: props.name }),
    );
    return project;
  }

  /** Rebuilds a stored project; raises no events. */
  static restore(state: ProjectState): Project {
    return new Project(state);
  }

  get name(): ProjectName {
    return this.#name;
  }

  get maximumNumberOfIncompleteTasks(): TaskLimit | null {
    return this.#maximumNumberOfIncompleteTasks;
  }

  get archivedAt(): Date | null {
    return this.#archivedAt;
  }

  get isArchived(): boolean {
    return this.#archivedAt !== null;
  }

  get isDeleted(): boolean {
    return this.#deletedAt !== null;
  }

  get incompleteTaskCount(): number {
    return this.#incompleteTaskCount;
  }

  rename(name: ProjectName): void {
    ensureNotArchived(this);
    this.#name = name;
  }

  changeMaximumNumberOfIncompleteTasks(limit: TaskLimit | null): void {
    ensureNotArchived(this);
    ensureLimitAllowsIncompleteTasks(this, limit);
    this.#maximumNumberOfIncompleteTasks = limit;
  }

  addTask(name: TaskName, now: Date): Task {
    ensureNotArchived(this);
    ensureRoomForAnotherIncompleteTask(this);
    this.#lastTaskNumber++;
    const task = new Task({
      number: this.#lastTaskNumber,
      name,
      completedAt: null,
      createdAt: now,
    });
    this.#tasks.set(task.number, task);
    this.#incompleteTaskCount++;
    return task;
  }

  /**
   * Completing a completed task keeps its first completion time. A task the project has not
   * got is `TaskNotFound` first, archived or not: a missing task is missing.
   */
  completeTask(number: number, now: Date): Task {
    const task = this.task(number);
    ensureNotArchived(this);
    if (!task.isCompleted) {
      task.markCompleted(now);
      this.#incompleteTaskCount--;
    }
    return task;
  }

  incompleteTask(number: number): Task {
    const task = this.task(number);
    ensureNotArchived(this);
    if (task.isCompleted) {
      ensureRoomForAnotherIncompleteTask(this);
      task.markIncomplete();
      this.#incompleteTaskCount++;
    }
    return task;
  }

  /** A loaded task; `TaskNotFound` when the project has no task with that number. */
  task(number: number): Task {
    const task = this.#tasks.get(number);
    if (!task) throw new TaskNotFound(number);
    return task;
  }

  archive(now: Date): void {
    if (this.isArchived) return;
    ensureCanArchive(this);
    this.#archivedAt = now;
  }

  unarchive(): void {
    this.#archivedAt = null;
  }

  /** Soft delete: final for every client, kept for the record. */
  delete(now: Date): void {
    ensureCanDelete(this);
    this.#deletedAt = now;
  }

  toState(): ProjectState {
    return {
      id: this.id,
      ownerId: this.ownerId,
      name: this.#name,
      maximumNumberOfIncompleteTasks: this.#maximumNumberOfIncompleteTasks,
      createdAt: this.createdAt,
      archivedAt: this.#archivedAt,
      deletedAt: this.#deletedAt,
      lastTaskNumber: this.#lastTaskNumber,
      incompleteTaskCount: this.#incompleteTaskCount,
      version: this.version,
      tasks: [...this.#tasks.values()].map((task) => task.toState()),
    };
  }
}

/** Project ids are positive whole numbers; anything else names no project. */
export function isProjectId(value: number): value is ProjectId {
  return Number.isSafeInteger(value) && value > 0;
}
