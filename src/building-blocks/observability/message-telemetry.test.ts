import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import {
  inMemoryTracing,
  parentOf,
  SpanKind,
  SpanStatusCode,
} from '../../../tests/support/in-memory-tracing.ts';
import type { MessageHeaders } from '../messaging/message-instrumentation.ts';
import type { OutboxMessage } from '../messaging/outbox-message.ts';
import { anOutboxMessage } from '../messaging/testing/outbox-message.ts';
import { messageTelemetry } from './message-telemetry.ts';
import { Metrics } from './metrics.ts';

const handler = {
  context: 'projects',
  name: 'giveNewUserAnExampleProject',
  inbox: 'none',
} as const;

function message(headers: MessageHeaders): OutboxMessage {
  return anOutboxMessage({ headers });
}

describe('a message, traced from its outbox write to its handler', () => {
  test('the headers written carry the producer span; a delivery anywhere later is its child', async () => {
    const tracing = await inMemoryTracing();
    const messages = messageTelemetry(tracing.tracer, undefined);

    const headers = await messages.writing(
      'accounts',
      ['accounts.UserAccountCreated'],
      async (h) => h,
    );
    const producer = await tracing.span('send accounts.outbox');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(headers.traceparent).toBe(
      `00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01`,
    );

    // Another process (a broker's consumer, the relay's poll): no context but the headers.
    await context.with(ROOT_CONTEXT, () =>
      messages.delivering(message(headers), () =>
        messages.handling(message(headers), handler, async () => {}),
      ),
    );

    const consumer = await tracing.span('process accounts.UserAccountCreated');
    const handled = await tracing.span('projects.giveNewUserAnExampleProject');
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
    expect(parentOf(handled)).toBe(consumer.spanContext().spanId);
  });

  test('a handler that fails: error status on its span, and counted', async () => {
    const tracing = await inMemoryTracing();
    const metrics = new Metrics();
    const messages = messageTelemetry(tracing.tracer, metrics);

    await expect(
      messages.handling(message({}), handler, async () => {
        throw new Error('mail server down');
      }),
    ).rejects.toThrow('mail server down');

    const handled = await tracing.span('projects.giveNewUserAnExampleProject');
    expect(handled.status.code).toBe(SpanStatusCode.ERROR);
    const failures = await metrics.registry
      .getSingleMetric('taskflow_message_handler_failures_total')
      ?.get();
    expect(failures?.values).toEqual([
      {
        labels: {
          handler: 'projects.giveNewUserAnExampleProject',
          type: 'accounts.UserAccountCreated',
        },
        value: 1,
      },
    ]);
  });

  test('off: no headers are added and nothing is wrapped', async () => {
    const messages = messageTelemetry(undefined, undefined);
    expect(await messages.writing('accounts', [], async (headers) => headers)).toEqual({});
  });
});
