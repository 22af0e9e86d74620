import { z } from 'zod';
import { messageContract } from '../../building-blocks/messaging/contract.ts';
import type { ProjectCreated } from '../domain/project-created.ts';

// The integration events `projects` publishes. Owned by `projects` (see accounts.ts).

export const ProjectCreatedV1 = messageContract<ProjectCreated>(
  'projects.ProjectCreated',
  1,
  z.object({
    projectId: z.number().int().positive(),
    ownerId: z.uuid(),
    name: z.string().min(1),
  }),
);

export const projectsPublishes = [ProjectCreatedV1];
