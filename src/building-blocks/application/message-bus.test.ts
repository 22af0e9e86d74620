import { describe, expect, test, vi } from 'vitest';
import { ConcurrencyConflict } from './concurrency-conflict.ts';
import { DatabaseUnavailable } from './database-unavailable.ts';
import { commandType, MessageBus } from './message-bus.ts';

const Double = commandType<{ value: number }, number>('test.Double');
const noWait = { backOff: async () => {} };

describe('MessageBus commands', () => {
  test('execute runs the one handler and returns its result', async () => {
    const bus = new MessageBus();
    bus.handle(Double, async ({ value }) => value * 2);

    expect(await bus.execute(Double, { value: 21 })).toBe(42);
  });

  test('a second handler for one command is refused', () => {
    const bus = new MessageBus();
    bus.handle(Double, async ({ value }) => value);

    expect(() => bus.handle(Double, async ({ value }) => value)).toThrow(/already registered/);
  });

  test('a command without a handler is an error', async () => {
    await expect(new MessageBus().execute(Double, { value: 1 })).rejects.toThrow(/No handler/);
  });

  test('a lost concurrency race is tried again', async () => {
    const bus = new MessageBus(noWait);
    let calls = 0;
    bus.handle(Double, async ({ value }) => {
      calls++;
      if (calls < 3) throw new ConcurrencyConflict('The thing');
      return value * 2;
    });

    expect(await bus.execute(Double, { value: 2 })).toBe(4);
    expect(calls).toBe(3);
  });

  test('retries are bounded, then the conflict reaches the caller', async () => {
    const bus = new MessageBus({ ...noWait, maxRetries: 2 });
    const handler = vi.fn(async () => {
      throw new ConcurrencyConflict('The thing');
    });
    bus.handle(Double, handler);

    await expect(bus.execute(Double, { value: 1 })).rejects.toThrow(ConcurrencyConflict);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  test('a command whose connection was lost before COMMIT runs again, a few times at most', async () => {
    const bus = new MessageBus({ ...noWait, maxUnavailableRetries: 2 });
    const lost = new DatabaseUnavailable(new Error('Connection terminated'), {
      nothingWritten: true,
      retryAtOnce: true,
    });
    let calls = 0;
    bus.handle(Double, async ({ value }) => {
      calls++;
      if (calls < 3) throw lost;
      return value * 2;
    });
    expect(await bus.execute(Double, { value: 2 })).toBe(4);

    const alwaysLost = vi.fn(async () => {
      throw lost;
    });
    bus.handle(commandType<{ value: number }, number>('test.AlwaysLost'), alwaysLost);
    await expect(
      bus.execute(commandType<{ value: number }, number>('test.AlwaysLost'), { value: 1 }),
    ).rejects.toBe(lost);
    expect(alwaysLost).toHaveBeenCalledTimes(3);
  });

  test('lost races and lost connections each have their own retries', async () => {
    const bus = new MessageBus({ ...noWait, maxRetries: 3, maxUnavailableRetries: 1 });
    const failures = [
      new ConcurrencyConflict('The thing'),
      new ConcurrencyConflict('The thing'),
      new DatabaseUnavailable(new Error('lost'), { nothingWritten: true, retryAtOnce: true }),
      new ConcurrencyConflict('The thing'),
    ];
    bus.handle(Double, async ({ value }) => {
      const failure = failures.shift();
      if (failure) throw failure;
      return value * 2;
    });

    expect(await bus.execute(Double, { value: 3 })).toBe(6);
  });

  test('a busy database (no connection in time) is not tried again at once', async () => {
    const bus = new MessageBus(noWait);
    const handler = vi.fn(async () => {
      throw new DatabaseUnavailable(new Error('timeout'), {
        nothingWritten: true,
        retryAtOnce: false,
      });
    });
    bus.handle(Double, handler);

    await expect(bus.execute(Double, { value: 1 })).rejects.toThrow(DatabaseUnavailable);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('a command whose COMMIT may have happened is not run again', async () => {
    const bus = new MessageBus(noWait);
    const handler = vi.fn(async () => {
      throw new DatabaseUnavailable(new Error('Connection terminated'), {
        nothingWritten: false,
        retryAtOnce: false,
      });
    });
    bus.handle(Double, handler);

    await expect(bus.execute(Double, { value: 1 })).rejects.toThrow(DatabaseUnavailable);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('other errors are not retried', async () => {
    const bus = new MessageBus(noWait);
    const handler = vi.fn(async () => {
      throw new Error('boom');
    });
    bus.handle(Double, handler);

    await expect(bus.execute(Double, { value: 1 })).rejects.toThrow('boom');
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
