/**
 * The baseline the benchmark compares the service with: the same routes and JSON over
 * Fastify and node:sqlite, written the quickest way. No layers, no bus, no validation
 * library, no authentication (every request acts as the one user), no unit of work.
 * Run: node bench/baseline.ts <port> <sqlite file>
 */
import { DatabaseSync } from 'node:sqlite';
import Fastify from 'fastify';

const [port = '9000', file = ':memory:'] = process.argv.slice(2);
const db = new DatabaseSync(file);
db.exec(`
  PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
  CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS projects (id INTEGER PRIMARY KEY, owner_id TEXT NOT NULL,
    name TEXT NOT NULL, last_task_number INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS tasks (project_id INTEGER NOT NULL, number INTEGER NOT NULL,
    name TEXT NOT NULL, completed_at TEXT, PRIMARY KEY (project_id, number));
  INSERT OR IGNORE INTO users VALUES ('bench-user', 'bench@example.com');
`);
const USER = 'bench-user';

const q = {
  me: db.prepare('SELECT id, email FROM users WHERE id = ?'),
  projects: db.prepare('SELECT id, name FROM projects WHERE owner_id = ? ORDER BY id'),
  createProject: db.prepare(
    'INSERT INTO projects (owner_id, name) VALUES (?, ?) RETURNING id, name',
  ),
  tasks: db.prepare(
    'SELECT number, name, completed_at AS completedAt FROM tasks WHERE project_id = ? ORDER BY number',
  ),
  nextNumber: db.prepare(
    'UPDATE projects SET last_task_number = last_task_number + 1 WHERE id = ? AND owner_id = ? RETURNING last_task_number AS n',
  ),
  addTask: db.prepare('INSERT INTO tasks (project_id, number, name) VALUES (?, ?, ?)'),
  complete: db.prepare(
    'UPDATE tasks SET completed_at = coalesce(completed_at, ?) WHERE project_id = ? AND number = ? RETURNING number, name, completed_at AS completedAt',
  ),
};

const app = Fastify();

app.get('/health', async () => ({ status: 'ok' }));

app.get('/api/users/me', async () => ({ ...q.me.get(USER), projects: q.projects.all(USER) }));

app.post('/api/projects', async (request, reply) => {
  const { name } = request.body as { name: string };
  const project = q.createProject.get(USER, name) as { id: number; name: string };
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
  return { tasks: q.tasks.all(Number(id)) };
});

app.post('/api/projects/:id/tasks', async (request, reply) => {
  const projectId = Number((request.params as { id: string }).id);
  const { name } = request.body as { name: string };
  db.exec('BEGIN IMMEDIATE');
  try {
    const { n } = q.nextNumber.get(projectId, USER) as { n: number };
    q.addTask.run(projectId, n, name);
    db.exec('COMMIT');
    return reply.status(201).send({ number: n, name, completedAt: null });
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
});

app.put('/api/projects/:id/tasks/:n/complete', async (request) => {
  const { id, n } = request.params as { id: string; n: string };
  return q.complete.get(new Date().toISOString(), Number(id), Number(n));
});

process.on('SIGTERM', () => process.exit(0));
await app.listen({ port: Number(port), host: '127.0.0.1' });
