import { expect } from 'vitest';

/** One JSON request to a service process started by the test; the answer's status and body. */
export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * Logs in and polls `GET /api/users/me` until the user has a project (their starter
 * project, made by a message handler); returns how many they have then.
 */
export async function projectsOnceSettled(
  url: string,
  email: string,
  password: string,
): Promise<number> {
  const login = await call(url, 'POST', '/api/users/login', { email, password });
  expect(login.status, email).toBe(200);
  const token = login.body.access_token as string;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const me = await call(url, 'GET', '/api/users/me', undefined, token);
    const count = (me.body.projects as unknown[]).length;
    if (count > 0 || Date.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
