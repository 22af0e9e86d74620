import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

/** Tasks the paging benchmark's large project holds. */
export const LARGE_PROJECT_TASKS = 100_000;

/**
 * Fills a project (made through the API, so it has an owner) with tasks 1..count straight in
 * its database, with the counters a command would have left: 100,000 POSTs would take minutes.
 * Every third task is completed, so `status` filters have something to skip.
 */
export async function fillProject(databaseUrl: string, projectId: number, count: number) {
  const now = new Date().toISOString();
  const open = count - Math.floor(count / 3);
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new DatabaseSync(databaseUrl.slice('sqlite:'.length));
    try {
      db.exec('pragma busy_timeout = 10000');
      db.exec('begin immediate');
      const insert = db.prepare(
        'insert into projects_tasks (project_id, number, name, completed_at, created_at) values (?, ?, ?, ?, ?)',
      );
      for (let n = 1; n <= count; n++) {
        insert.run(projectId, n, `Seeded task ${n}`, n % 3 === 0 ? now : null, now);
      }
      db.prepare(
        'update projects_projects set last_task_number = ?, incomplete_task_count = ?, version = version + 1 where id = ?',
      ).run(count, open, projectId);
      db.exec('commit');
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into projects.tasks (project_id, number, name, completed_at, created_at)
       select $1, n, 'Seeded task ' || n, case when n % 3 = 0 then $2::timestamptz end, $2
       from generate_series(1, $3::integer) as n`,
      [projectId, now, count],
    );
    await client.query(
      'update projects.projects set last_task_number = $1, incomplete_task_count = $2, version = version + 1 where id = $3',
      [count, open, projectId],
    );
    await client.query('commit');
    await client.query('analyze projects.tasks');
  } finally {
    await client.end();
  }
}
