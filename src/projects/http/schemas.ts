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

export const ProjectListResponse = z
  .object({ projects: z.array(ProjectResponse) })
  .meta({ id: 'ProjectList' });

export const TaskResponse = z
  .object({
    number: z.number().int().describe('Counts from 1 within the project; never reused.'),
    name: z.string(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Task' });

export const TaskListResponse = z.object({ tasks: z.array(TaskResponse) }).meta({ id: 'TaskList' });
