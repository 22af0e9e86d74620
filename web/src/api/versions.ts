import type { Api } from './client';
import { ProblemError, unwrap } from './problems';
import type { Project } from './projects';

/**
 * A change to a project is sent with the version (ETag) of the copy the person saw
 * (`If-Match`), so that a change made meanwhile elsewhere (another tab, another device) is
 * refused (412) rather than overwritten, archived or deleted unseen (docs/api.md, "Versions").
 */

/** The project as the API has it now, and its version. */
export async function readProject(
  api: Api,
  projectId: number,
): Promise<{ project: Project; version: string | undefined }> {
  const answer = await api.GET('/api/projects/{projectId}', { params: { path: { projectId } } });
  return { project: unwrap(answer), version: answer.response.headers.get('etag') ?? undefined };
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The data of a change sent with `If-Match`. On 412 the project changed since that version:
 * it is read again and shown as it is now (`onChanged`, with its version for the next try),
 * and the refusal says so in `changed`, words for the person rather than the API's "read it
 * again, then retry" (the reading is done here).
 */
export async function unlessChanged<T>(
  api: Api,
  projectId: number,
  answer: Answer<T>,
  onChanged: (current: Project, version: string | undefined) => void,
  changed: string,
): Promise<T> {
  if (answer.response.status !== 412) return unwrap(answer);
  const current = await readProject(api, projectId);
  onChanged(current.project, current.version);
  throw changedElsewhere(changed);
}

/**
 * A one-click change (archive, unarchive, delete) to the project as `shown`. Lists carry no
 * version, so the project is read first: when it is no longer as shown, it is shown as it is
 * now and nothing is sent (the person decided on what they saw); else the change is sent with
 * the version just read, and a change made since is refused as above.
 */
export async function changeShown<T>(
  api: Api,
  shown: Project,
  send: (ifMatch: string | undefined) => Promise<Answer<T>>,
  onChanged: (current: Project) => void,
): Promise<T> {
  const { project, version } = await readProject(api, shown.id);
  if (!sameProject(project, shown)) {
    onChanged(project);
    throw changedElsewhere(CHANGED_SINCE_SHOWN);
  }
  return unlessChanged(api, shown.id, await send(version), onChanged, CHANGED_SINCE_SHOWN);
}

const CHANGED_SINCE_SHOWN =
  'Someone changed this project since this page showed it: it is shown as it is now. Try again if you still want to.';

/** Every field of a project is a plain value (docs/api.md, "Projects"). */
function sameProject(a: Project, b: Project): boolean {
  return (Object.keys(a) as (keyof Project)[]).every((key) => a[key] === b[key]);
}

function changedElsewhere(detail: string): ProblemError {
  return new ProblemError({
    type: '/problems#precondition-failed',
    title: 'Precondition failed',
    status: 412,
    code: 'precondition-failed',
    detail,
  });
}
