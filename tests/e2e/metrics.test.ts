import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestApi } from '../support/api.ts';

/** The value of the sample `name{labels}` in a Prometheus text exposition; undefined if absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([\w:]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] as string).split(',');
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.close());

  test('counts requests by route template (no ids in labels), and commands by name and outcome', async () => {
    const user = await api.signUp();
    const project = await api.request('POST', '/api/projects', {
      token: user.token,
      json: { name: 'Measured project' },
    });
    const projectId = project.body.id as number;
    for (const name of ['First task', 'Second task']) {
      await api.request('POST', `/api/projects/${projectId}/tasks`, {
        token: user.token,
        json: { name },
      });
    }
    await api.request('GET', `/api/projects/${projectId}/tasks/1`, { token: user.token });
    await api.request('GET', '/api/no-such-route/987654');

    // No token: Prometheus scrapes it as it is.
    const scraped = await api.request('GET', '/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scraped.body as string;

    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const requests = (route: string, method: string, status: string) =>
      sample(text, 'http_request_duration_seconds_count', {
        route,
        method,
        status_code: status,
      });
    expect(requests('/api/projects/:projectId/tasks', 'POST', '201')).toBe(2);
    expect(requests('/api/projects/:projectId/tasks/:taskNumber', 'GET', '200')).toBe(1);
    // An unknown URL is counted under one fixed label, so clients cannot add label values.
    expect(requests('unmatched', 'GET', '404')).toBe(1);
    expect(text).not.toContain('987654');
    expect(text).not.toContain(`/api/projects/${projectId}`);

    const commands = (command: string) =>
      sample(text, 'taskflow_command_duration_seconds_count', { command, outcome: 'ok' });
    expect(commands('accounts.RegisterUser')).toBe(1);
    expect(commands('projects.CreateTask')).toBe(2);
    // The starter project, created by the handler of UserAccountCreated, is a command too.
    expect(commands('projects.CreateExampleProject')).toBe(1);

    for (const metric of [
      'taskflow_command_retries_total',
      'taskflow_message_handler_failures_total',
      'taskflow_password_hash_queue_length',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${metric} `);
    }
    for (const context of ['accounts', 'projects']) {
      expect(sample(text, 'taskflow_outbox_pending_messages', { context })).toBe(0);
      expect(sample(text, 'taskflow_outbox_dead_letters', { context })).toBe(0);
      expect(sample(text, 'taskflow_outbox_oldest_pending_age_seconds', { context })).toBe(0);
    }
  });

  test('a refused command is counted with the kind of its error', async () => {
    const { email } = await api.signUp();
    await api.request('POST', '/api/users', { json: { email, password: 'another good one' } });
    const text = (await api.request('GET', '/metrics')).body as string;
    expect(
      sample(text, 'taskflow_command_duration_seconds_count', {
        command: 'accounts.RegisterUser',
        outcome: 'conflict',
      }),
    ).toBe(1);
  });
});

describe('METRICS_PORT and METRICS_ENABLED', () => {
  test('with a port of its own, /metrics is served there and not on the API port', async () => {
    const api = await TestApi.start({
      telemetry: { tracing: undefined, metricsEnabled: true, metricsPort: 1 },
    });
    try {
      const server = api.app.metricsServer;
      if (!server) throw new Error('no metrics server');
      const address = await server.listen({ host: '127.0.0.1', port: 0 });
      const scraped = await fetch(`${address}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('http_request_duration_seconds');
      expect((await api.request('GET', '/metrics')).status).toBe(404);
    } finally {
      await api.close();
    }
  });

  test('METRICS_ENABLED=false: no /metrics at all', async () => {
    const api = await TestApi.start({
      telemetry: { tracing: undefined, metricsEnabled: false, metricsPort: undefined },
    });
    try {
      expect((await api.request('GET', '/metrics')).status).toBe(404);
      expect(api.app.metricsServer).toBeUndefined();
    } finally {
      await api.close();
    }
  });
});
