import { Entity } from '../../building-blocks/domain/entity.ts';
import type { TaskName } from './names.ts';

export interface TaskState {
  number: number;
  name: TaskName;
  completedAt: Date | null;
  createdAt: Date;
}

/**
 * A task inside a project, identified by its number there. It changes only through its
 * project (the aggregate root), which keeps the count of open tasks right.
 */
export class Task extends Entity<number> {
  readonly name: TaskName;
  readonly createdAt: Date;
  #completedAt: Date | null;

  constructor(state: TaskState) {
    super(state.number);
    this.name = state.name;
    this.createdAt = state.createdAt;
    this.#completedAt = state.completedAt;
  }

  get number(): number {
    return this.id;
  }

  get completedAt(): Date | null {
    return this.#completedAt;
  }

  get isCompleted(): boolean {
    return this.#completedAt !== null;
  }

  /** @internal Called by Project, which owns the rule checks. */
  markCompleted(at: Date): void {
    this.#completedAt = at;
  }

  /** @internal Called by Project, which owns the rule checks. */
  markIncomplete(): void {
    this.#completedAt = null;
  }

  toState(): TaskState {
    return {
      number: this.id,
      name: this.name,
      completedAt: this.#completedAt,
      createdAt: this.createdAt,
    };
  }
}
