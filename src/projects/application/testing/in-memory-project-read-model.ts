import { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectState } from '../../domain/project.ts';
import type { TaskState } from '../../domain/task.ts';
import type { ProjectReadModel } from '../queries/project-read-model.ts';
import type { ProjectView, TaskView } from '../views.ts';
import type { InMemoryProjectStore } from './in-memory-projects.ts';

/** Fake of `ProjectReadModel` over the fake repository's store; it passes the same contract. */
export class InMemoryProjectReadModel implements ProjectReadModel {
  readonly #store: InMemoryProjectStore;

  constructor(store: InMemoryProjectStore) {
    this.#store = store;
  }

  async listProjects(ownerId: UserId): Promise<ProjectView[]> {
    return this.#owned(ownerId).map(toProjectView);
  }

  async findProject(ownerId: UserId, projectId: number) {
    const project = this.#ownedProject(ownerId, projectId);
    return project && toProjectView(project);
  }

  async listTasks(ownerId: UserId, projectId: number) {
    const project = this.#ownedProject(ownerId, projectId);
    return project && Serialized.of(byNumber(project.tasks).map(toTaskView));
  }

  async findTask(ownerId: UserId, projectId: number, taskNumber: number) {
    const project = this.#ownedProject(ownerId, projectId);
    if (!project) return undefined;
    const task = project.tasks.find((t) => t.number === taskNumber);
    return { task: task && toTaskView(task) };
  }

  async listProjectSummaries(ownerId: UserId) {
    return Serialized.of(this.#owned(ownerId).map(({ id, name }) => ({ id, name })));
  }

  #ownedProject(ownerId: UserId, projectId: number): ProjectState | undefined {
    return this.#owned(ownerId).find((p) => p.id === projectId);
  }

  #owned(ownerId: UserId): ProjectState[] {
    return this.#store
      .values()
      .filter((p) => p.ownerId === ownerId && p.deletedAt === null)
      .sort((a, b) => a.id - b.id);
  }
}

const byNumber = (tasks: TaskState[]) => [...tasks].sort((a, b) => a.number - b.number);

function toProjectView(state: ProjectState): ProjectView {
  return {
    id: state.id,
    name: state.name,
    maximumNumberOfIncompleteTasks: state.maximumNumberOfIncompleteTasks,
    archived: state.archivedAt !== null,
    archivedAt: state.archivedAt?.toISOString() ?? null,
  };
}

function toTaskView(task: TaskState): TaskView {
  return {
    number: task.number,
    name: task.name,
    completedAt: task.completedAt?.toISOString() ?? null,
  };
}
