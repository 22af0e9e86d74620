import type { Logger } from '../../building-blocks/application/logger.ts';
import type { ProjectCreated } from '../../shared-kernel/domain/project-created.ts';

/** A new project is announced: one structured log line (the original prints a message). */
export function announceProject(log: Logger) {
  return async (event: ProjectCreated): Promise<void> => {
    log.info(
      {
        event: event.type,
        projectId: event.payload.projectId,
        ownerId: event.payload.ownerId,
        name: event.payload.name,
      },
      'project created',
    );
  };
}
