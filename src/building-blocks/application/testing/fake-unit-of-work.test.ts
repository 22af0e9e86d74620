import { describe, expect, test } from 'vitest';
import type { DomainEvent } from '../../domain/domain-event.ts';
import type { AggregateTracker } from '../unit-of-work.ts';
import { FakeUnitOfWork } from './fake-unit-of-work.ts';
import { InMemoryStore } from './in-memory-store.ts';

const event: DomainEvent = { type: 'test.Saved', payload: {} };

function setUp() {
  const store = new InMemoryStore<string, { value: number }>();
  const published: DomainEvent[][] = [];
  const uow = new FakeUnitOfWork({
    stores: [store],
    repositories: (tracker: AggregateTracker) => ({
      save(key: string, value: number) {
        store.set(key, { value });
        tracker.track({ pullEvents: () => [event] });
      },
    }),
    publish: async (events) => {
      published.push([...events]);
    },
  });
  return { store, uow, published };
}

describe('the unit of work contract (fake)', () => {
  test('commits what the work wrote and publishes the events after the commit', async () => {
    const { store, uow, published } = setUp();

    await uow.run(async (repos) => repos.save('a', 1));

    expect(store.get('a')).toEqual({ value: 1 });
    expect(published).toEqual([[event]]);
  });

  test('work that throws leaves nothing written and publishes nothing', async () => {
    const { store, uow, published } = setUp();

    await expect(
      uow.run(async (repos) => {
        repos.save('a', 1);
        throw new Error('rule says no');
      }),
    ).rejects.toThrow('rule says no');

    expect(store.get('a')).toBeUndefined();
    expect(published).toEqual([]);
  });

  test('stored values are copies: changing an object afterwards changes nothing', () => {
    const store = new InMemoryStore<string, { value: number }>();
    const value = { value: 1 };
    store.set('a', value);

    value.value = 2;
    const read = store.get('a');
    if (read) read.value = 3;

    expect(store.get('a')).toEqual({ value: 1 });
  });
});
