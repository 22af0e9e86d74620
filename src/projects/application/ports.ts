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

/**
 * The owners this context keeps projects for, as far as it knows: an owner whose account was
 * deleted is retired, and no project is added for them any more. It is what makes "the
 * account's projects are deleted" hold against a project being created at that very moment.
 */
export interface ProjectOwners {
  /**
   * Whether the owner may have a new project: false once retired. Until the unit of work
   * ends, the owner is held (PostgreSQL: a share lock on their row), so a `retire` waits for
   * it to commit, and the removal of their projects that follows sees what it added.
   */
  admit(ownerId: UserId): Promise<boolean>;
  /** Retires the owner for good, once every unit that admitted them has ended. */
  retire(ownerId: UserId, at: Date): Promise<void>;
  /**
   * Records that an admitted owner got their starter project: false when they already had
   * one, so a second `UserAccountCreated` for one user (under another message id, which the
   * inbox does not stop) makes no second one.
   */
  welcome(ownerId: UserId, at: Date): Promise<boolean>;
}

export interface ProjectsRepositories {
  projects: ProjectRepository;
  owners: ProjectOwners;
  /** The answers of requests with an `Idempotency-Key`, stored with what they created. */
  idempotency: IdempotencyRecords;
}

export type ProjectsUnitOfWork = UnitOfWork<ProjectsRepositories>;
