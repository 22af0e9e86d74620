import { describe, expect, test } from 'vitest';
import { FifoSemaphore } from './fifo-semaphore.ts';

/** Lets every promise that can settle now do so. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FifoSemaphore', () => {
  test('hands out free permits at once, without a promise', () => {
    const semaphore = new FifoSemaphore(2);

    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(false);
    expect(semaphore.inUse).toBe(true);
  });

  test('is free again once every permit is released', () => {
    const semaphore = new FifoSemaphore(2);
    semaphore.tryAcquire();
    semaphore.tryAcquire();

    semaphore.release();
    expect(semaphore.inUse).toBe(true);
    semaphore.release();
    expect(semaphore.inUse).toBe(false);
  });

  test('those waiting get a permit in the order they asked for it', async () => {
    const semaphore = new FifoSemaphore();
    semaphore.tryAcquire();
    const order: number[] = [];
    for (const id of [1, 2, 3]) void semaphore.acquire().then(() => order.push(id));

    for (let released = 0; released < 3; released++) {
      semaphore.release();
      await settle();
    }

    expect(order).toEqual([1, 2, 3]);
  });

  test('`first` goes ahead of those already waiting', async () => {
    const semaphore = new FifoSemaphore();
    semaphore.tryAcquire();
    const order: string[] = [];
    void semaphore.acquire().then(() => order.push('waiting'));
    void semaphore.acquire({ first: true }).then(() => order.push('first'));

    semaphore.release();
    await settle();
    semaphore.release();
    await settle();

    expect(order).toEqual(['first', 'waiting']);
  });

  test('a released permit goes to the next in line, not to whoever asks next', async () => {
    const semaphore = new FifoSemaphore();
    semaphore.tryAcquire();
    let waiterHasIt = false;
    void semaphore.acquire().then(() => {
      waiterHasIt = true;
    });

    semaphore.release();

    expect(semaphore.tryAcquire()).toBe(false);
    await settle();
    expect(waiterHasIt).toBe(true);
  });

  test('run lets at most `size` tasks run at once, and frees the permit when one fails', async () => {
    const semaphore = new FifoSemaphore(2);
    let running = 0;
    let most = 0;
    const task = (fail: boolean) => async () => {
      running++;
      most = Math.max(most, running);
      await settle();
      running--;
      if (fail) throw new Error('task failed');
    };

    const results = await Promise.allSettled(
      [false, true, false, true, false].map((fail) => semaphore.run(task(fail))),
    );

    expect(most).toBe(2);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(semaphore.inUse).toBe(false);
  });

  test('refuses a release without a holder, and a size below one', () => {
    expect(() => new FifoSemaphore().release()).toThrow(/no one holds/);
    expect(() => new FifoSemaphore(0)).toThrow(RangeError);
  });
});
