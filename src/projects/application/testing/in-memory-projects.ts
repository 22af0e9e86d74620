import { ConcurrencyConflict } from '../../../building-blocks/application/concurrency-conflict.ts';
import { InMemoryStore } from '../../../building-blocks/application/testing/in-memory-store.ts';
import type { AggregateTracker } from '../../../building-blocks/application/unit-of-work.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { Project, type ProjectId, type ProjectState } from '../../domain/project.ts';
import type { ProjectRepository } from '../ports.ts';

/** The projects table of the unit tests: each entry holds the project with all its tasks. */
export class InMemoryProjectStore extends InMemoryStore<ProjectId, ProjectState> {
  lastId = 0;
}

/**
 * Fake of `ProjectRepository` that behaves like the real one: it loads at most the task a
 * command names, checks versions, and merges saved tasks into the stored project.
 */
export class InMemoryProjectRepository implements ProjectRepository {
  readonly #store: InMemoryProjectStore;
  readonly #tracker: AggregateTracker;
  readonly #loaded = new WeakMap<Project, ProjectState>();

  constructor(store: InMemoryProjectStore, tracker: AggregateTracker) {
    this.#store = store;
    this.#tracker = tracker;
  }

  async nextId(): Promise<ProjectId> {
    this.#store.lastId++;
    return this.#store.lastId as ProjectId;
  }

  async add(project: Project): Promise<void> {
    this.#store.set(project.id, { ...project.toState(), version: 1 });
    this.#tracker.track(project);
  }

  async findOwned(id: ProjectId, ownerId: UserId, options: { withTask?: number } = {}) {
    const stored = this.#store.get(id);
    if (!stored || stored.ownerId !== ownerId || stored.deletedAt !== null) return undefined;
    const project = Project.restore({
      ...stored,
      tasks: stored.tasks.filter((task) => task.number === options.withTask),
    });
    this.#loaded.set(project, project.toState());
    this.#tracker.track(project);
    return project;
  }

  async save(project: Project): Promise<void> {
    this.#tracker.track(project);
    if (JSON.stringify(this.#loaded.get(project)) === JSON.stringify(project.toState())) return;
    const stored = this.#store.get(project.id);
    if (!stored || stored.version !== project.version) throw new ConcurrencyConflict('The project');
    const state = project.toState();
    const tasks = new Map(stored.tasks.map((task) => [task.number, task]));
    for (const task of state.tasks) tasks.set(task.number, task);
    this.#store.set(project.id, {
      ...state,
      version: project.version + 1,
      tasks: [...tasks.values()].sort((a, b) => a.number - b.number),
    });
  }
}
