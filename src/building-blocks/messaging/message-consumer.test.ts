import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import type { DomainEvent } from '../domain/domain-event.ts';
import { messageContract } from './contract.ts';
import type { Inbox } from './inbox.ts';
import { MessageConsumer } from './message-consumer.ts';
import { MessageHandlers } from './message-handlers.ts';
import { anOutboxMessage } from './testing/outbox-message.ts';
import { UndeliverableMessage } from './undeliverable-message.ts';

type Greeted = DomainEvent<'test.Greeted', { name: string }>;
const GreetedV1 = messageContract<Greeted>('test.Greeted', 1, z.object({ name: z.string() }));

class MemoryInbox implements Inbox {
  readonly records = new Set<string>();
  async has(context: string, id: string, handler: string) {
    return this.records.has(`${context}/${id}/${handler}`);
  }
  async record(context: string, id: string, handler: string) {
    this.records.add(`${context}/${id}/${handler}`);
  }
}

const message = (payload: unknown, version = 1) =>
  anOutboxMessage({ context: 'test', type: 'test.Greeted', version, payload });

function consumerWith(...handlers: ((event: Greeted) => Promise<void>)[]) {
  const registry = new MessageHandlers();
  handlers.forEach((handle, i) => {
    registry.subscribe(GreetedV1, { context: 'test', name: `h${i}`, inbox: 'outside' }, handle);
  });
  const inbox = new MemoryInbox();
  return { consumer: new MessageConsumer(registry, inbox), inbox };
}

describe('MessageConsumer', () => {
  test('hands the parsed payload to each handler once, however often it is delivered', async () => {
    const seen: string[] = [];
    const { consumer } = consumerWith(async (event) => {
      seen.push(event.payload.name);
    });

    await consumer.deliver(message({ name: 'Ada' }));
    await consumer.deliver(message({ name: 'Ada' }));

    expect(seen).toEqual(['Ada']);
  });

  test('work done outside a transaction is recorded once the database is back, not done again', async () => {
    let emails = 0;
    const { consumer, inbox } = consumerWith(async () => {
      emails += 1;
    });
    const record = inbox.record.bind(inbox);
    let refusals = 2;
    inbox.record = async (...args) => {
      if (refusals-- > 0) {
        throw new DatabaseUnavailable(new Error('connection lost'), {
          nothingWritten: true,
          retryAtOnce: true,
        });
      }
      return record(...args);
    };

    await consumer.deliver(message({ name: 'Ada' }));
    await consumer.deliver(message({ name: 'Ada' }));

    expect(emails).toBe(1);
  });

  test('copies delivered at the same moment run a handler outside a transaction once', async () => {
    let runs = 0;
    const { consumer } = consumerWith(async () => {
      runs += 1;
    });

    // All three are under way before the first records its run in the inbox.
    await Promise.all([1, 2, 3].map(() => consumer.deliver(message({ name: 'Ada' }))));

    expect(runs).toBe(1);
  });

  test('a failing handler does not stop the others, and only it runs again', async () => {
    const calls = { failing: 0, fine: 0 };
    const { consumer } = consumerWith(
      async () => {
        calls.failing += 1;
        if (calls.failing === 1) throw new Error('once');
      },
      async () => {
        calls.fine += 1;
      },
    );

    await expect(consumer.deliver(message({ name: 'Ada' }))).rejects.toThrow('once');
    await consumer.deliver(message({ name: 'Ada' }));

    expect(calls).toEqual({ failing: 2, fine: 1 });
  });

  test('handlers whose effect leaves the database run last, once the others are visible', async () => {
    const registry = new MessageHandlers();
    const ran: string[] = [];
    const handler = (name: string) => async () => void ran.push(name);
    registry.subscribe(
      GreetedV1,
      { context: 'test', name: 'email', inbox: 'outside' },
      handler('email'),
    );
    registry.subscribe(
      GreetedV1,
      { context: 'test', name: 'project', inbox: 'unit-of-work' },
      handler('project'),
    );
    registry.subscribe(GreetedV1, { context: 'test', name: 'log', inbox: 'none' }, handler('log'));
    const consumer = new MessageConsumer(registry, new MemoryInbox());

    await consumer.deliver(message({ name: 'Ada' }), undefined, () => ran.push('visible'));

    expect(ran).toEqual(['project', 'log', 'visible', 'email']);
  });

  test('a payload that breaks its contract reaches no handler and cannot be delivered', async () => {
    let called = false;
    const { consumer } = consumerWith(async () => {
      called = true;
    });

    await expect(consumer.deliver(message({ name: 42 }))).rejects.toThrow(UndeliverableMessage);
    await expect(consumer.deliver(message({ name: 'Ada' }, 2))).rejects.toThrow(
      /reads test\.Greeted v1, not v2/,
    );
    expect(called).toBe(false);
  });

  test('a message nobody subscribed to is delivered to no one, without error', async () => {
    const { consumer } = consumerWith();
    await expect(consumer.deliver({ ...message({}), type: 'test.Other' })).resolves.toBeUndefined();
  });
});
