import { type DomainEvent, eventType } from '../../building-blocks/domain/domain-event.ts';

/**
 * `projects` created a project (by a command or as a new user's starter project). Beside
 * `UserAccountCreated` in the shared kernel so its contract can be declared where other
 * contexts may read it. Plain data, so it serialises as it is.
 */
export type ProjectCreated = DomainEvent<
  'projects.ProjectCreated',
  { projectId: number; ownerId: string; name: string }
>;

export const ProjectCreated = eventType<ProjectCreated>('projects.ProjectCreated');
