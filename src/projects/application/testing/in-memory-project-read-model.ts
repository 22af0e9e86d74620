import { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { ProjectState } from '../../domain/project.ts';
import type { TaskState } from '../../domain/task.ts';
import {
  type PageRequest,
  PROJECT_SUMMARIES_LIMIT,
  type ProjectReadModel,
  type TaskStatus,
} from '../queries/project-read-model.ts';
import type { ProjectView, TaskView } from '../views.ts';
import type { InMemoryProjectStore } from './in-memory-projects.ts';

/** Fake of `ProjectReadModel` over the fake repository's store; it passes the same contract. */
export class InMemoryProjectReadModel implements ProjectReadModel {
  readonly #store: InMemoryProjectStore;

  constructor(store: InMemoryProjectStore) {
    this.#store = store;
  }

  async listProjects(ownerId: UserId, page: PageRequest) {
    const { items, next } = pageOf(this.#owned(ownerId), (p) => p.id, page);
    return { items: items.map(toProjectView), next };
  }

  async findProject(ownerId: UserId, projectId: number) {
    const project = this.#ownedProject(ownerId, projectId);
    return project && { view: toProjectView(project), version: project.version };
  }

  async listTasks(ownerId: UserId, projectId: number, page: PageRequest & { status?: TaskStatus }) {
    const project = this.#ownedProject(ownerId, projectId);
    if (!project) return undefined;
    const tasks = byNumber(project.tasks).filter(
      (t) => page.status === undefined || (page.status === 'open') === (t.completedAt === null),
    );
    const { items, next } = pageOf(tasks, (t) => t.number, page);
    return { items: Serialized.of(items.map(toTaskView)), next };
  }

  async findTask(ownerId: UserId, projectId: number, taskNumber: number) {
    const project = this.#ownedProject(ownerId, projectId);
    if (!project) return undefined;
    const task = project.tasks.find((t) => t.number === taskNumber);
    return { task: task && toTaskView(task) };
  }

  async listProjectSummaries(ownerId: UserId) {
    const first = this.#owned(ownerId).slice(0, PROJECT_SUMMARIES_LIMIT);
    return Serialized.of(first.map(({ id, name }) => ({ id, name })));
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

function pageOf<T>(sorted: T[], key: (item: T) => number, { limit, after = 0 }: PageRequest) {
  const rest = sorted.filter((item) => key(item) > after);
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rest.length > limit && last ? key(last) : null };
}

const byNumber = (tasks: TaskState[]) => [...tasks].sort((a, b) => a.number - b.number);

function toProjectView(state: ProjectState): ProjectView {
  return {
    id: state.id,
    name: state.name,
    maximumNumberOfIncompleteTasks: state.maximumNumberOfIncompleteTasks,
    numberOfIncompleteTasks: state.incompleteTaskCount,
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
