import { describe, expect, test } from 'vitest';
import { inMemoryTracing, SpanStatusCode } from '../../../tests/support/in-memory-tracing.ts';
import { ConcurrencyConflict } from '../application/concurrency-conflict.ts';
import { commandType, MessageBus } from '../application/message-bus.ts';
import { NotAuthenticated } from '../application/not-authenticated.ts';
import { commandTelemetry } from './command-telemetry.ts';
import { Metrics } from './metrics.ts';

const Rename = commandType<{ name: string }, string>('test.Rename');

async function watchedBus() {
  const tracing = await inMemoryTracing();
  const metrics = new Metrics();
  const bus = new MessageBus({
    instrumentation: commandTelemetry(tracing.tracer, metrics),
    backOff: async () => {},
  });
  /** A counter's value, or a histogram's count of observations, for exactly these labels. */
  const value = async (name: string, labels: Record<string, string>) => {
    const metric = await metrics.registry.getSingleMetric(name)?.get();
    const counted = metric?.values.filter((v) => {
      const sample = (v as { metricName?: string }).metricName;
      return sample === undefined || sample.endsWith('_count');
    });
    return counted?.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value;
  };
  return { bus, tracing, value };
}

describe('commands, watched', () => {
  test('a retry after a concurrency conflict is an event of the command span, and counted', async () => {
    const { bus, tracing, value } = await watchedBus();
    let attempts = 0;
    bus.handle(Rename, async ({ name }) => {
      if (++attempts === 1) throw new ConcurrencyConflict('The project');
      return name;
    });

    expect(await bus.execute(Rename, { name: 'x' })).toBe('x');

    const span = await tracing.span('test.Rename');
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([
      ['retry', { 'taskflow.retry.reason': 'concurrency-conflict' }],
    ]);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(
      await value('taskflow_command_retries_total', {
        command: 'test.Rename',
        reason: 'concurrency-conflict',
      }),
    ).toBe(1);
    expect(
      await value('taskflow_command_duration_seconds', { command: 'test.Rename', outcome: 'ok' }),
    ).toBe(1);
  });

  test('a command that fails: error status and an outcome naming the kind of error', async () => {
    const { bus, tracing, value } = await watchedBus();
    bus.handle(Rename, async () => {
      throw new NotAuthenticated();
    });

    await expect(bus.execute(Rename, { name: 'x' })).rejects.toThrow(NotAuthenticated);

    const span = await tracing.span('test.Rename');
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'A valid access token is required.',
    });
    expect(span.attributes['error.type']).toBe('NotAuthenticated');
    expect(
      await value('taskflow_command_duration_seconds', {
        command: 'test.Rename',
        outcome: 'unauthenticated',
      }),
    ).toBe(1);
  });

  test("a library's error gives its type, not its message (it may quote a request's value)", async () => {
    const { bus, tracing } = await watchedBus();
    bus.handle(Rename, async () => {
      throw new TypeError('invalid input syntax for type uuid: "secret-ish"');
    });

    await expect(bus.execute(Rename, { name: 'x' })).rejects.toThrow(TypeError);

    const span = await tracing.span('test.Rename');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'TypeError' });
  });
});
