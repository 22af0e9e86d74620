import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { DeliveryFailures } from '../delivery-failures.ts';
import type { MessageConsumer } from '../message-consumer.ts';
import { anOutboxMessage } from '../testing/outbox-message.ts';
import { toAmqp } from './amqp-envelope.ts';
import type { AmqpTopology } from './amqp-topology.ts';
import { QueueDeliveries } from './queue-deliveries.ts';

const message = anOutboxMessage({
  version: 2,
  payload: { userId: 'u-1', email: 'ada@example.com' },
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a delivery whose handler failed while the database is away', () => {
  test('is held, and recorded and acknowledged within 2 s of its return, with two log lines', async () => {
    const away = 20_000;
    const back = Date.now() + away;
    const record = vi.fn(async () => {
      if (Date.now() < back) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return 'recorded' as const;
    });
    const consumer = {
      handles: () => true,
      deliver: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
    } as unknown as MessageConsumer;
    const lines: string[] = [];
    const log = {
      info: (_: object, line: string) => lines.push(line),
      warn: (_: object, line: string) => lines.push(line),
      error: (_: object, line: string) => lines.push(line),
    };
    const deliveries = new QueueDeliveries(
      consumer,
      { record } as unknown as DeliveryFailures,
      {} as AmqpTopology,
      log,
    );
    const channel = { ack: vi.fn(), nack: vi.fn() };
    const { content, options } = toAmqp(message);
    const delivery = { content, properties: options, fields: { routingKey: message.type } };

    const handled = deliveries.handle(
      channel as unknown as ConfirmChannel,
      delivery as unknown as ConsumeMessage,
      'projects',
    );
    await vi.advanceTimersByTimeAsync(away);
    expect(channel.ack).not.toHaveBeenCalled();
    // The queue's prefetch window is full of deliveries held like this one: each must move
    // soon after the database is back (it waited up to 30 s between tries).
    await vi.advanceTimersByTimeAsync(2_000);
    await handled;

    expect(channel.ack).toHaveBeenCalledOnce();
    expect(channel.nack).not.toHaveBeenCalled();
    expect(lines).toEqual([
      expect.stringMatching(/^could not record a failed delivery; holding it/),
      'failed delivery recorded',
    ]);
  });
});
