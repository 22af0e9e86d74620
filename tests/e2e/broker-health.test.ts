import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectProblem, TestApi } from '../support/api.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import {
  brokerUnavailable,
  removeBrokerNamespace,
  TEST_BROKER_URL,
  THROUGH_BROKER,
} from '../support/test-broker.ts';

const unavailable = THROUGH_BROKER ? 'run by the e2e projects' : await brokerUnavailable();

describe.skipIf(unavailable)('readiness while RabbitMQ goes away and comes back', () => {
  const broker = TEST_BROKER_URL ?? 'amqp://localhost:5672';
  const proxy = TcpProxy.for(broker, 5672);
  const namespace = `taskflow-test-${process.pid}-health`;
  let api: TestApi;

  beforeAll(async () => {
    await proxy.up();
    api = await TestApi.start({ broker: { url: proxy.via(broker), namespace }, runWorkers: false });
  });
  afterAll(async () => {
    await api?.close();
    await proxy.down();
    await removeBrokerNamespace(namespace);
  });

  /** Polls `/health/ready` until it answers `status` (or a deadline passes). */
  async function readyAnswers(status: number) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await api.request('GET', '/health/ready');
      if (response.status === status || Date.now() > deadline) return response;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  test('503 while the broker is unreachable, 200 again once it is back', async () => {
    expect((await readyAnswers(200)).status).toBe(200);

    await proxy.down();
    const down = await readyAnswers(503);
    expectProblem(down, 503);
    expect(down.body.detail).toMatch(/message broker/);

    await proxy.up();
    expect((await readyAnswers(200)).status).toBe(200);
  });
});
