import type { IdempotencyRecords } from '../../building-blocks/application/idempotency.ts';
import type { UnitOfWork } from '../../building-blocks/application/unit-of-work.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { Project, ProjectId } from '../domain/project.ts';

export interface ProjectRepository {
  /** Allocates the id of a project about to be added. */
  nextId(): Promise<ProjectId>;
  add(project: Project): Promise<void>;
  /**
   * The project with this id if `ownerId` owns it and it is not deleted, else undefined:
   * someone else's project is indistinguishable from a missing one. Loads the task
   * numbered `withTask` (if it exists) and no other.
   */
  findOwned(
    id: ProjectId,
    ownerId: UserId,
    options?: { withTask?: number },
  ): Promise<Project | undefined>;
  /** Stores changes; `ConcurrencyConflict` if the project changed since it was loaded. */
  save(project: Project): Promise<void>;
  /** Deletes, for good, every project of the owner (deleted or not) and all their tasks. */
  removeAllOwnedBy(ownerId: UserId): Promise<void>;
}

export interface ProjectsRepositories {
  projects: ProjectRepository;
  /** The answers of requests with an `Idempotency-Key`, stored with what they created. */
  idempotency: IdempotencyRecords;
}

export type ProjectsUnitOfWork = UnitOfWork<ProjectsRepositories>;
