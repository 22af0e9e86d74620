import { z } from 'zod';
import { codePoints } from '../../shared-kernel/domain/code-points.ts';
import { NAME_MAX_LENGTH, NAME_MIN_LENGTH, normaliseName } from '../domain/names.ts';

const CONTROL_CHARACTER = /\p{Cc}/u;

/** The largest id or number the API accepts (PostgreSQL `integer`). */
const MAX_ID = 2_147_483_647;

/** A project id or a task number as it leaves the service: a positive 32-bit integer. */
const Id = z.int32().min(1);

/**
 * A whole number in a path or a query string: canonical decimal only (`2`, not `02`, `+2`,
 * `2.0`, `2e0` or `0x2`, which a number parser would take as the same number), from 1 to
 * `max`. Documented as the integer it stands for.
 */
const wholeNumberParameter = (max: number) =>
  z
    .string()
    .regex(new RegExp(`^[1-9][0-9]{0,${String(max).length - 1}}$`), {
      error: `must be a whole number from 1 to ${max}, written in decimal digits`,
    })
    .transform(Number)
    .pipe(z.number().max(max, { error: `must be at most ${max}` }))
    .meta({ type: 'integer', minimum: 1, maximum: max, pattern: undefined });

/** A path parameter naming an id, from 1 to 2,147,483,647. */
const IdParameter = wholeNumberParameter(MAX_ID).meta({ format: 'int32' });

export const ProjectParams = z.object({ projectId: IdParameter.meta({ examples: [42] }) });
export const TaskParams = z.object({
  projectId: IdParameter.meta({ examples: [42] }),
  taskNumber: IdParameter.meta({ examples: [3] }),
});

/**
 * A bound on a name as sent, checked before it is normalised (which costs in proportion):
 * spaces around a name, or a name typed decomposed, fit in it many times over.
 */
const NAME_AS_SENT_MAX_LENGTH = 1024;

/**
 * Checked as the domain checks it (names.ts): length in code points and control characters
 * once NFC-normalised and trimmed. The document's `minLength` and `maxLength` are that rule;
 * a client that checks them on the text as typed may refuse a name the service would take.
 */
const Name = z
  .string()
  .max(NAME_AS_SENT_MAX_LENGTH, {
    error: `must be at most ${NAME_AS_SENT_MAX_LENGTH} characters as sent, spaces included`,
  })
  .superRefine((raw, context) => {
    const name = normaliseName(raw);
    const length = codePoints(name);
    const problem =
      length < NAME_MIN_LENGTH
        ? `must be at least ${NAME_MIN_LENGTH} characters`
        : length > NAME_MAX_LENGTH
          ? `must be at most ${NAME_MAX_LENGTH} characters`
          : CONTROL_CHARACTER.test(name)
            ? 'must not contain control characters'
            : undefined;
    if (problem) context.addIssue(problem);
  })
  .meta({
    minLength: NAME_MIN_LENGTH,
    maxLength: NAME_MAX_LENGTH,
    description: `${NAME_MIN_LENGTH} to ${NAME_MAX_LENGTH} characters once NFC-normalised and trimmed.`,
    examples: ['Kitchen renovation'],
  });

const TaskLimit = z
  .int({ error: 'must be a positive whole number or null' })
  .positive({ error: 'must be a positive whole number or null' })
  .max(MAX_ID, { error: `must be at most ${MAX_ID}` })
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
    id: Id.meta({ examples: [42] }),
    name: z.string().meta({ examples: ['Kitchen renovation'] }),
    maximumNumberOfIncompleteTasks: Id.nullable().meta({ examples: [5] }),
    numberOfIncompleteTasks: z
      .int32()
      .min(0)
      .describe(
        'How many of its tasks are open (not completed) now: never more than maximumNumberOfIncompleteTasks.',
      )
      .meta({ examples: [2] }),
    archived: z.boolean(),
    archivedAt: z.iso
      .datetime()
      .nullable()
      .meta({ examples: [null] }),
  })
  .meta({ id: 'Project' });

export const TaskResponse = z
  .object({
    number: Id.describe('Counts from 1 within the project; never reused.').meta({ examples: [3] }),
    name: z.string().meta({ examples: ['Order the tiles'] }),
    completedAt: z.iso
      .datetime()
      .nullable()
      .meta({ examples: ['2026-03-14T09:26:53.000Z'] }),
  })
  .meta({ id: 'Task' });

/** The query of a paged list: `limit` and the `cursor` a previous page gave. */
const PageQuery = {
  limit: wholeNumberParameter(200)
    .default(50)
    .meta({ default: 50 })
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
