/**
 * The baseline the benchmark compares the service on PostgreSQL with: the same routes and
 * JSON as bench/baseline.ts, over Fastify and `pg`, written the quickest way. A pool of 10,
 * named prepared statements, one round trip per read, one transaction per write; no
 * layers, no bus, no validation library, no authentication (every request acts as the one
 * user), no unit of work.
 * Run: node bench/baseline-postgres.ts <port> <postgres URL of an empty database>
 */
import Fastify from 'fastify';
import pg from 'pg';

const [port = '9000', url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
await pool.query(`
  CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS projects (id SERIAL PRIMARY KEY, owner_id TEXT NOT NULL,
    name TEXT NOT NULL, last_task_number INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS tasks (project_id INTEGER NOT NULL, number INTEGER NOT NULL,
    name TEXT NOT NULL, completed_at TIMESTAMPTZ, PRIMARY KEY (project_id, number));
  INSERT INTO users VALUES ('bench-user', 'bench@example.com') ON CONFLICT DO NOTHING;
`);
const USER = 'bench-user';

/** A named statement: parsed and planned once per connection, then only bound and run. */
const statement = (name: string, text: string) => (values: unknown[]) => ({ name, text, values });
const q = {
  me: statement(
    'me',
    `SELECT u.id, u.email, coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY p.id)
       FROM projects p WHERE p.owner_id = u.id), '[]') AS projects FROM users u WHERE u.id = $1`,
  ),
  createProject: statement(
    'createProject',
    'INSERT INTO projects (owner_id, name) VALUES ($1, $2) RETURNING id, name',
  ),
  tasks: statement(
    'tasks',
    'SELECT number, name, completed_at AS "completedAt" FROM tasks WHERE project_id = $1 ORDER BY number',
  ),
  nextNumber: statement(
    'nextNumber',
    'UPDATE projects SET last_task_number = last_task_number + 1 WHERE id = $1 AND owner_id = $2 RETURNING last_task_number AS n',
  ),
  addTask: statement('addTask', 'INSERT INTO tasks (project_id, number, name) VALUES ($1, $2, $3)'),
  complete: statement(
    'complete',
    'UPDATE tasks SET completed_at = coalesce(completed_at, $1) WHERE project_id = $2 AND number = $3 RETURNING number, name, completed_at AS "completedAt"',
  ),
};

const app = Fastify();

app.get('/health', async () => ({ status: 'ok' }));

app.get('/api/users/me', async () => (await pool.query(q.me([USER]))).rows[0]);

app.post('/api/projects', async (request, reply) => {
  const { name } = request.body as { name: string };
  const project = (await pool.query(q.createProject([USER, name]))).rows[0];
  return reply.status(201).send({
    ...project,
    maximumNumberOfIncompleteTasks: null,
    numberOfIncompleteTasks: 0,
    archived: false,
    archivedAt: null,
  });
});

app.get('/api/projects/:id/tasks', async (request) => {
  const { id } = request.params as { id: string };
  return { tasks: (await pool.query(q.tasks([Number(id)]))).rows };
});

app.post('/api/projects/:id/tasks', async (request, reply) => {
  const projectId = Number((request.params as { id: string }).id);
  const { name } = request.body as { name: string };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { n } = (await client.query(q.nextNumber([projectId, USER]))).rows[0];
    await client.query(q.addTask([projectId, n, name]));
    await client.query('COMMIT');
    return reply.status(201).send({ number: n, name, completedAt: null });
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
});

app.put('/api/projects/:id/tasks/:n/complete', async (request) => {
  const { id, n } = request.params as { id: string; n: string };
  return (await pool.query(q.complete([new Date(), Number(id), Number(n)]))).rows[0];
});

process.on('SIGTERM', () => process.exit(0));
await app.listen({ port: Number(port), host: '127.0.0.1' });
