import { type FormEvent, useRef, useState } from 'react';
import { unwrap } from '../api/problems';
import { limitFromInput, PROJECT_FIELD_OF_CODE, type Project } from '../api/projects';
import { useAction } from '../components/action';
import { usePagedList } from '../components/paged-list';
import { ActionButton, Alert, Busy, LoadMore, ScreenHeading, TryAgain } from '../components/ui';
import { useSession } from '../session/session-context';
import { ProjectFields } from './project-fields';
import { ProjectItem } from './project-item';

/** My projects, a page at a time, and a form to create one. */
export function Projects() {
  const { api } = useSession();
  const list = usePagedList(
    async (cursor) => {
      const page = unwrap(
        await api.GET('/api/projects', { params: { query: cursor ? { cursor } : {} } }),
      );
      return { items: page.projects, nextCursor: page.nextCursor };
    },
    (project) => project.id,
  );

  const replace = (project: Project) =>
    list.update((items) => items.map((item) => (item.id === project.id ? project : item)));
  // A project deleted takes its focused button with it: the focus goes to the list's heading,
  // not to the page (a keyboard user would start again from the top).
  const listHeading = useRef<HTMLHeadingElement>(null);
  const remove = (id: number) => {
    list.update((items) => items.filter((item) => item.id !== id));
    listHeading.current?.focus();
  };

  return (
    <div className="screen">
      <ScreenHeading>Projects</ScreenHeading>
      <CreateProject onCreated={(project) => list.update((items) => [...items, project])} />
      <h2 ref={listHeading} tabIndex={-1}>
        Your projects
      </h2>
      <p className="hint">
        A project can be archived once all its tasks are complete, and deleted once archived.
      </p>
      {list.loading ? (
        <Busy>Loading your projects…</Busy>
      ) : list.items.length === 0 && !list.problem ? (
        <p>No projects yet: create one above.</p>
      ) : (
        <ul className="cards" aria-label="Your projects">
          {list.items.map((project) => (
            <ProjectItem
              key={project.id}
              project={project}
              onChanged={replace}
              onDeleted={() => remove(project.id)}
            />
          ))}
        </ul>
      )}
      <Alert>{list.problem?.detail}</Alert>
      {list.firstPageFailed && <TryAgain onClick={list.reload} />}
      <LoadMore
        hasMore={list.hasMore}
        loadingMore={list.loadingMore}
        onClick={list.loadMore}
        what="projects"
      />
    </div>
  );
}

function CreateProject({ onCreated }: { onCreated: (project: Project) => void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [limit, setLimit] = useState('');
  const action = useAction(PROJECT_FIELD_OF_CODE);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await action.run(async () => {
      const maximum = limitFromInput(limit);
      const project = unwrap(
        await api.POST('/api/projects', {
          params: { header: { 'idempotency-key': crypto.randomUUID() } },
          body: { name, ...(maximum !== null && { maximumNumberOfIncompleteTasks: maximum }) },
        }),
      );
      onCreated(project);
    });
    if (created) {
      setName('');
      setLimit('');
    }
  };
  const { fields = {}, form } = action.problem ?? {};
  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-project" className="panel">
      <h2 id="new-project">New project</h2>
      <ProjectFields
        name={name}
        limit={limit}
        onName={setName}
        onLimit={setLimit}
        errors={fields}
        hints={{ name: '4 to 32 characters.', limit: 'Optional: leave empty for no limit.' }}
      />
      <Alert>{form}</Alert>
      <ActionButton type="submit" busy={action.busy}>
        {action.busy ? 'Creating…' : 'Create project'}
      </ActionButton>
    </form>
  );
}
