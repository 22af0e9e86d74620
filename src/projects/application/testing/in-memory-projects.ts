import { ConcurrencyConflict } from '../../../building-blocks/application/concurrency-conflict.ts';
import { InMemoryStore } from '../../../building-blocks/application/testing/in-memory-store.ts';
import type { AggregateTracker } from '../../../building-blocks/application/unit-of-work.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { Project, type ProjectId, type ProjectState } from '../../domain/project.ts';
import type { ProjectOwners, ProjectRepository } from '../ports.ts';
import { isUnchanged, pendingChanges, rememberStored } from '../project-changes.ts';

/** The projects table of the unit tests: each entry holds the project with all its tasks. */
export class InMemoryProjectStore extends InMemoryStore<ProjectId, ProjectState> {
  lastId = 0;
}

/** The owners table of the unit tests: when each retired owner was retired. */
export class InMemoryOwnerStore extends InMemoryStore<
  UserId,
  { retiredAt: Date | null; welcomedAt: Date | null }
> {}

/** Fake of `ProjectOwners`: the unit tests run one unit at a time, so there is no lock to take. */
export class InMemoryProjectOwners implements ProjectOwners {
  readonly #store: InMemoryOwnerStore;

  constructor(store: InMemoryOwnerStore) {
    this.#store = store;
  }

  async admit(ownerId: UserId): Promise<boolean> {
    const owner = this.#store.get(ownerId);
    if (!owner) this.#store.set(ownerId, { retiredAt: null, welcomedAt: null });
    return (owner?.retiredAt ?? null) === null;
  }

  async retire(ownerId: UserId, at: Date): Promise<void> {
    const owner = this.#store.get(ownerId);
    this.#store.set(ownerId, {
      retiredAt: owner?.retiredAt ?? at,
      welcomedAt: owner?.welcomedAt ?? null,
    });
  }

  async welcome(ownerId: UserId, at: Date): Promise<boolean> {
    const owner = this.#store.get(ownerId);
    if (!owner || owner.welcomedAt !== null) return false;
    this.#store.set(ownerId, { ...owner, welcomedAt: at });
    return true;
  }
}

/**
 * Fake of `ProjectRepository` that behaves like the real one: it loads at most the task a
 * command names, writes only what changed (the same rule, `pendingChanges`), checks versions,
 * and merges saved tasks into the stored project.
 */
export class InMemoryProjectRepository implements ProjectRepository {
  readonly #store: InMemoryProjectStore;
  readonly #tracker: AggregateTracker;

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
    rememberStored(project, 1);
    this.#tracker.track(project);
  }

  async findOwned(id: ProjectId, ownerId: UserId, options: { withTask?: number } = {}) {
    const stored = this.#store.get(id);
    if (!stored || stored.ownerId !== ownerId || stored.deletedAt !== null) return undefined;
    const project = Project.restore({
      ...stored,
      tasks: stored.tasks.filter((task) => task.number === options.withTask),
    });
    rememberStored(project);
    this.#tracker.track(project);
    return project;
  }

  async removeAllOwnedBy(ownerId: UserId): Promise<void> {
    for (const project of this.#store.values()) {
      if (project.ownerId === ownerId) this.#store.delete(project.id);
    }
  }

  async save(project: Project): Promise<void> {
    this.#tracker.track(project);
    const { stored: loaded, changes } = pendingChanges(project);
    if (isUnchanged(changes)) return;
    const state = project.toState();
    const stored = this.#store.get(project.id);
    if (!stored || stored.version !== loaded.version) throw new ConcurrencyConflict('The project');
    const tasks = new Map(stored.tasks.map((task) => [task.number, task]));
    for (const task of [...changes.addedTasks, ...changes.changedTasks]) {
      tasks.set(task.number, task);
    }
    const version = loaded.version + 1;
    this.#store.set(project.id, {
      ...state,
      version,
      tasks: [...tasks.values()].sort((a, b) => a.number - b.number),
    });
    rememberStored(project, version);
  }
}
