/** Test data for one server, made through its HTTP API (the same calls for both servers). */
export interface Seeded {
  token: string;
  /** 50 projects to spread task creation over. */
  spread: number[];
  /** A project with 10 tasks that no workload writes to, for reads. */
  reads: number;
  /** A project that starts with 10 tasks: the small side of the size comparison. */
  small: number;
  /** A project with 200 tasks to complete over and over. */
  completing: number;
  /** A project with 1,000 tasks. */
  large: number;
  /** A project with 100 tasks: the small side of the paging comparison. */
  hundred: number;
  /** A project without tasks, which the service's benchmark fills with 100,000 (`fillProject`). */
  huge: number;
}

export const CREDENTIALS = { email: 'bench@example.com', password: 'benchmark password' };

async function call(url: string, method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status}`);
  return response.json() as Promise<Record<string, unknown>>;
}

export async function login(url: string): Promise<string> {
  await fetch(`${url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(CREDENTIALS),
  });
  const response = await fetch(`${url}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(CREDENTIALS),
  });
  // The baseline has no accounts: any token will do there.
  if (response.status !== 200) return 'baseline-ignores-tokens';
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function seed(url: string): Promise<Seeded> {
  const token = await login(url);
  const project = async (name: string, tasks: number) => {
    const { id } = await call(url, 'POST', '/api/projects', token, { name });
    for (let i = 1; i <= tasks; i++) {
      await call(url, 'POST', `/api/projects/${id}/tasks`, token, { name: `Seeded task ${i}` });
    }
    return id as number;
  };
  const spread: number[] = [];
  for (let i = 1; i <= 50; i++) spread.push(await project(`Spread ${i}`, 0));
  return {
    token,
    spread,
    reads: await project('Ten tasks to read', 10),
    small: await project('Ten tasks', 10),
    completing: await project('Two hundred tasks', 200),
    large: await project('A thousand tasks', 1000),
    hundred: await project('A hundred tasks', 100),
    huge: await project('A hundred thousand tasks', 0),
  };
}
