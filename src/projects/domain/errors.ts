import { DomainError } from '../../building-blocks/domain/domain-error.ts';

export class ProjectNotFound extends DomainError {
  readonly code = 'project-not-found';
  readonly kind = 'not-found';
  readonly projectId: number;

  constructor(projectId: number) {
    super(`Project ${projectId} was not found.`);
    this.projectId = projectId;
  }
}

export class TaskNotFound extends DomainError {
  readonly code = 'task-not-found';
  readonly kind = 'not-found';
  readonly taskNumber: number;

  constructor(taskNumber: number) {
    super(`Task ${taskNumber} was not found in this project.`);
    this.taskNumber = taskNumber;
  }
}

export class InvalidName extends DomainError {
  readonly code = 'invalid-name';
  readonly kind = 'invalid';

  constructor(what: 'project' | 'task', min: number, max: number, why: string) {
    super(
      `A ${what} name must be ${min} to ${max} characters long, visible, without control, text-direction or noncharacters: ${why}.`,
    );
  }
}

export class InvalidTaskLimit extends DomainError {
  readonly code = 'invalid-task-limit';
  readonly kind = 'invalid';

  constructor() {
    super('The maximum number of incomplete tasks must be a positive whole number or null.');
  }
}

export class ProjectIsArchived extends DomainError {
  readonly code = 'project-archived';
  readonly kind = 'conflict';

  constructor() {
    super('The project is archived: unarchive it before changing it or its tasks.');
  }
}

export class ProjectIsNotArchived extends DomainError {
  readonly code = 'project-not-archived';
  readonly kind = 'conflict';

  constructor() {
    super('Only an archived project can be deleted: archive it first.');
  }
}

export class ProjectHasIncompleteTasks extends DomainError {
  readonly code = 'project-has-incomplete-tasks';
  readonly kind = 'conflict';
  readonly incompleteTasks: number;

  constructor(incompleteTasks: number) {
    super(`Project has ${incompleteTasks} incomplete tasks`);
    this.incompleteTasks = incompleteTasks;
  }
}

export class MaximumNumberOfIncompleteTasksReached extends DomainError {
  readonly code = 'maximum-incomplete-tasks-reached';
  readonly kind = 'conflict';
  readonly maximum: number;

  constructor(maximum: number) {
    super(
      `The project allows at most ${maximum} incomplete tasks: complete one before adding or reopening another.`,
    );
    this.maximum = maximum;
  }
}

export class TaskLimitBelowIncompleteTasks extends DomainError {
  readonly code = 'task-limit-below-incomplete-tasks';
  readonly kind = 'conflict';

  constructor(limit: number, incompleteTasks: number) {
    super(
      `The project has ${incompleteTasks} incomplete tasks, more than the new maximum of ${limit}.`,
    );
  }
}
