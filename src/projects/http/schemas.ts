import { z } from 'zod';
import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from '../domain/names.ts';

/** The largest id or number the API accepts (PostgreSQL `integer`). */
const MAX_ID = 2_147_483_647;

const PositiveInteger = z.coerce
  .number({ error: 'must be a positive whole number' })
  .int({ error: 'must be a positive whole number' })
  .positive({ error: 'must be a positive whole number' })
  .max(MAX_ID, { error: `must be at most ${MAX_ID}` });

export const ProjectParams = z.object({ projectId: PositiveInteger });
export const TaskParams = z.object({ projectId: PositiveInteger, taskNumber: PositiveInteger });

const Name = z
  .string()
  .trim()
  .min(NAME_MIN_LENGTH, { error: `must be at least ${NAME_MIN_LENGTH} characters` })
  .max(NAME_MAX_LENGTH, { error: `must be at most ${NAME_MAX_LENGTH} characters` })
  .regex(/^\P{Cc}*$/u, { error: 'must not contain control characters' });

const TaskLimit = z
  .number()
  .int({ error: 'must be a positive whole number or null' })
  .positive({ error: 'must be a positive whole number or null' })
  .max(MAX_ID)
  .nullable()
  .describe('At most this many tasks may be open at once; null for no limit.');

export const CreateProjectRequest = z
  .object({ name: Name, maximumNumberOfIncompleteTasks: TaskLimit.optional() })
  .meta({ id: 'CreateProjectRequest' });

export const UpdateProjectRequest = z
  .object({ name: Name.optional(), maximumNumberOfIncompleteTasks: TaskLimit.optional() })
  .meta({
    id: 'UpdateProjectRequest',
    description: 'Fields left out keep their value; a null limit removes the limit.',
  });

export const CreateTaskRequest = z.object({ name: Name }).meta({ id: 'CreateTaskRequest' });

export const ProjectResponse = z
  .object({
    id: z.number().int(),
    name: z.string(),
    maximumNumberOfIncompleteTasks: z.number().int().nullable(),
    archived: z.boolean(),
    archivedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Project' });

export const TaskResponse = z
  .object({
    number: z.number().int().describe('Counts from 1 within the project; never reused.'),
    name: z.string(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Task' });

/** The query of a paged list: `limit` and the `cursor` a previous page gave. */
const PageQuery = {
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 200' })
    .int({ error: 'must be a whole number from 1 to 200' })
    .min(1, { error: 'must be a whole number from 1 to 200' })
    .max(200, { error: 'must be a whole number from 1 to 200' })
    .default(50)
    .describe('How many items a page holds at most (default 50, at most 200).'),
  cursor: z
    .string()
    .optional()
    .describe('Where the page starts: the `nextCursor` of the page before, as it came.'),
};

export const ListProjectsQuery = z.object(PageQuery);

export const ListTasksQuery = z.object({
  ...PageQuery,
  status: z
    .enum(['open', 'completed'], { error: 'must be open or completed' })
    .optional()
    .describe('Only the open (not completed) or only the completed tasks.'),
});

const NextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null on the last page.');

export const ProjectPageResponse = z
  .object({ projects: z.array(ProjectResponse), nextCursor: NextCursor })
  .meta({ id: 'ProjectPage' });

export const TaskPageResponse = z
  .object({ tasks: z.array(TaskResponse), nextCursor: NextCursor })
  .meta({ id: 'TaskPage' });
