import { describe, expect, test } from 'vitest';
import { Metrics } from './metrics.ts';

const outbox = { context: 'projects', pending: 3, oldestPendingSeconds: 1.5, dead: 1 };

describe('the outbox gauges', () => {
  test('are read at each scrape', async () => {
    const metrics = new Metrics();
    metrics.watchOutboxes(async () => [outbox]);

    const text = await metrics.registry.metrics();

    expect(text).toContain('taskflow_outbox_pending_messages{context="projects"} 3');
    expect(text).toContain('taskflow_outbox_dead_letters{context="projects"} 1');
  });

  test('a database that does not answer in time leaves them empty; the rest is served at once', async () => {
    const metrics = new Metrics();
    metrics.watchOutboxes(() => new Promise(() => {}), { deadlineMs: 50 });
    metrics.httpRequests.series({ method: 'GET', route: '/health', status_code: 200 })(0.001);

    const text = await metrics.registry.metrics();

    expect(text).not.toMatch(/taskflow_outbox_pending_messages\{/);
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/health"');
  });
});
