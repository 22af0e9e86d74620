import { describe, expect, test } from 'vitest';
import { ProjectCreated } from '../../shared-kernel/domain/project-created.ts';
import { announceProject } from './announce-project.ts';

describe('announceProject', () => {
  test('writes one structured line naming the project and its owner', async () => {
    const lines: { details: object; message: string }[] = [];
    const handle = announceProject({
      info: (details, message) => lines.push({ details, message }),
      warn: () => {},
    });

    await handle(ProjectCreated.create({ projectId: 3, ownerId: 'owner-1', name: 'Launch' }));

    expect(lines).toEqual([
      {
        details: {
          event: 'projects.ProjectCreated',
          projectId: 3,
          ownerId: 'owner-1',
          name: 'Launch',
        },
        message: 'project created',
      },
    ]);
  });
});
