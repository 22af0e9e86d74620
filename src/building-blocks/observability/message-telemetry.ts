import { context, propagation, SpanKind, type Tracer } from '@opentelemetry/api';
import {
  type MessageHeaders,
  type MessageInstrumentation,
  unobservedMessages,
} from '../messaging/message-instrumentation.ts';
import type { Metrics } from './metrics.ts';
import { inSpan } from './spans.ts';

/**
 * Traces follow a message through the outbox: the unit of work's outbox write is a producer
 * span whose context (`traceparent`, `tracestate`) is stored in the messages' headers; a
 * delivery is a consumer span, the child of that context wherever and whenever it runs (in
 * process after the COMMIT, from the relay's poll, from a broker in another process); each
 * handler is a span under it. Handler failures are counted.
 */
export function messageTelemetry(
  tracer: Tracer | undefined,
  metrics: Metrics | undefined,
): MessageInstrumentation {
  if (!tracer && !metrics) return unobservedMessages;
  const countFailures = (handler: string, type: string, run: () => Promise<void>) =>
    metrics
      ? run().catch((error: unknown) => {
          metrics.handlerFailures.inc({ handler, type });
          throw error;
        })
      : run();
  if (!tracer) {
    return {
      ...unobservedMessages,
      handling: (message, handler, run) =>
        countFailures(`${handler.context}.${handler.name}`, message.type, run),
    };
  }
  return {
    writing: (outbox, types, write) =>
      inSpan(
        tracer,
        `send ${outbox}.outbox`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'taskflow.outbox',
            'messaging.operation.type': 'send',
            'messaging.destination.name': `${outbox}.outbox`,
            'messaging.batch.message_count': types.length,
            'taskflow.message.types': [...types],
          },
        },
        () => {
          const headers: Record<string, string> = {};
          propagation.inject(context.active(), headers);
          return write(headers);
        },
      ),
    delivering: (message, deliver) =>
      inSpan(
        tracer,
        `process ${message.type}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'taskflow.outbox',
            'messaging.operation.type': 'process',
            'messaging.destination.name': `${message.context}.outbox`,
            'messaging.message.id': message.id,
            'taskflow.message.attempt': message.attempts + 1,
          },
        },
        deliver,
        propagation.extract(context.active(), message.headers satisfies MessageHeaders),
      ),
    handling: (message, handler, run) => {
      const name = `${handler.context}.${handler.name}`;
      return inSpan(
        tracer,
        name,
        { kind: SpanKind.INTERNAL, attributes: { 'taskflow.handler': name } },
        () => countFailures(name, message.type, run),
      );
    },
  };
}
