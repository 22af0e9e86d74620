import type { Tracer } from '@opentelemetry/api';
import type { Clock } from '../building-blocks/application/clock.ts';
import type { Logger } from '../building-blocks/application/logger.ts';
import type { MessageBus } from '../building-blocks/application/message-bus.ts';
import type { BearerAuthentication } from '../building-blocks/http/bearer-authentication.ts';
import type { Database } from '../building-blocks/infrastructure/database/database.ts';
import { KyselyIdempotencyStore } from '../building-blocks/infrastructure/kysely-idempotency.ts';
import { KyselyUnitOfWork } from '../building-blocks/infrastructure/kysely-unit-of-work.ts';
import type { Messaging } from '../building-blocks/messaging/messaging.ts';
import { tracedReadModel } from '../building-blocks/observability/traced-read-model.ts';
import { UserAccountCreatedV1, UserAccountDeletedV1 } from '../shared-kernel/contracts/accounts.ts';
import { ProjectCreatedV1, projectsPublishes } from '../shared-kernel/contracts/projects.ts';
import type { UserId } from '../shared-kernel/domain/user-id.ts';
import { announceProject } from './application/announce-project.ts';
import { ArchiveProject, archiveProject } from './application/commands/archive-project.ts';
import { CompleteTask, completeTask } from './application/commands/complete-task.ts';
import {
  CreateExampleProject,
  createExampleProject,
} from './application/commands/create-example-project.ts';
import { CreateProject, createProject } from './application/commands/create-project.ts';
import { CreateTask, createTask } from './application/commands/create-task.ts';
import { DeleteProject, deleteProject } from './application/commands/delete-project.ts';
import {
  DeleteProjectsOfOwner,
  deleteProjectsOfOwner,
} from './application/commands/delete-projects-of-owner.ts';
import { IncompleteTask, incompleteTask } from './application/commands/incomplete-task.ts';
import { UnarchiveProject, unarchiveProject } from './application/commands/unarchive-project.ts';
import { UpdateProject, updateProject } from './application/commands/update-project.ts';
import {
  deleteProjectsOfDeletedUser,
  giveNewUserAnExampleProject,
} from './application/event-handlers.ts';
import type { ProjectsRepositories } from './application/ports.ts';
import { listProjectSummaries } from './application/queries/list-project-summaries.ts';
import { projectRoutes } from './http/project-routes.ts';
import { taskRoutes } from './http/task-routes.ts';
import { KyselyProjectOwners } from './infrastructure/kysely-project-owners.ts';
import { KyselyProjectRepository } from './infrastructure/kysely-project-repository.ts';
import { SqlProjectReadModel } from './infrastructure/sql-project-read-model.ts';
import type { ProjectsTables } from './infrastructure/tables.ts';

export { ArchiveProject } from './application/commands/archive-project.ts';
export { CompleteTask } from './application/commands/complete-task.ts';
export { CreateProject } from './application/commands/create-project.ts';
export { CreateTask } from './application/commands/create-task.ts';
export { DeleteProject } from './application/commands/delete-project.ts';
export { projectsMigrations } from './infrastructure/migrations.ts';

export interface ProjectsModuleDeps {
  database: Database;
  bus: MessageBus;
  messaging: Messaging;
  clock: Clock;
  /** Where `ProjectCreated` is announced. */
  log: Logger;
  /** Traces the read model's queries when tracing is on. */
  tracer?: Tracer | undefined;
}

/** Builds the `projects` context: its adapters, its handlers on the bus and for messages, its routes. */
export function createProjectsModule({
  database,
  bus,
  messaging,
  clock,
  log,
  tracer,
}: ProjectsModuleDeps) {
  const idempotencyKeys = new KyselyIdempotencyStore(database, 'projects.idempotency_keys');
  const uow = new KyselyUnitOfWork<ProjectsTables, ProjectsRepositories>(
    database,
    (trx, tracker, reading) => ({
      projects: new KyselyProjectRepository(trx, tracker, reading),
      owners: new KyselyProjectOwners(trx, { lockRows: database.supportsRowLocks }),
      idempotency: idempotencyKeys.recordsOn(trx),
    }),
    messaging.outboxOf('projects', projectsPublishes),
    { lockAfterLostRace: true },
  );
  const readModel = tracedReadModel(new SqlProjectReadModel(database.reads), tracer, 'projects');

  bus.handle(CreateProject, (command) => createProject(command, { uow, clock }));
  bus.handle(UpdateProject, (command) => updateProject(command, { uow }));
  bus.handle(ArchiveProject, (command) => archiveProject(command, { uow, clock }));
  bus.handle(UnarchiveProject, (command) => unarchiveProject(command, { uow }));
  bus.handle(DeleteProject, (command) => deleteProject(command, { uow, clock }));
  bus.handle(CreateTask, (command) => createTask(command, { uow, clock }));
  bus.handle(CompleteTask, (command) => completeTask(command, { uow, clock }));
  bus.handle(IncompleteTask, (command) => incompleteTask(command, { uow }));
  bus.handle(CreateExampleProject, (command) => createExampleProject(command, { uow }));
  bus.handle(DeleteProjectsOfOwner, (command) => deleteProjectsOfOwner(command, { uow, clock }));
  messaging.handlers.subscribe(
    UserAccountDeletedV1,
    { context: 'projects', name: 'deleteProjectsOfDeletedUser', inbox: 'unit-of-work' },
    deleteProjectsOfDeletedUser(bus),
  );
  messaging.handlers.subscribe(
    UserAccountCreatedV1,
    { context: 'projects', name: 'giveNewUserAnExampleProject', inbox: 'unit-of-work' },
    giveNewUserAnExampleProject(bus),
  );
  messaging.handlers.subscribe(
    ProjectCreatedV1,
    { context: 'projects', name: 'announceProject', inbox: 'none' },
    announceProject(log),
  );

  return {
    /** For `accounts`' `GET /users/me`, plugged in by the composition root. */
    projectsOfUser: {
      listProjectsOf: (userId: UserId) => listProjectSummaries({ ownerId: userId }, { readModel }),
    },
    routes: (auth: BearerAuthentication<UserId>) => {
      const deps = { bus, auth, readModel, idempotency: { store: idempotencyKeys, clock } };
      return [projectRoutes(deps), taskRoutes(deps)];
    },
  };
}
