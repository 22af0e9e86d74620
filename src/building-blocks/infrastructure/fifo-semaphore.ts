/**
 * At most `size` holders at a time; the others wait their turn, first come first served.
 * The SQLite driver's connection lock (size 1, on every query's path) and the password
 * hasher's slots (one per CPU) are each one of these.
 *
 * Taking a free permit costs no promise: `if (!semaphore.tryAcquire()) await
 * semaphore.acquire();` awaits only when it must wait.
 */
export class FifoSemaphore {
  readonly #size: number;
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size = 1) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`A semaphore needs at least one permit (got ${size}).`);
    }
    this.#size = size;
    this.#free = size;
  }

  /** Whether any permit is taken. */
  get inUse(): boolean {
    return this.#free < this.#size;
  }

  /** How many wait for a permit. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Takes a permit when one is free (no promise, no waiting): false when none is. */
  tryAcquire(): boolean {
    if (this.#free === 0) return false;
    this.#free--;
    return true;
  }

  /**
   * Resolves once a permit is the caller's: at once when one is free, else when `release`
   * hands one over. `first` goes ahead of those already waiting.
   */
  acquire({ first = false } = {}): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => {
      if (first) this.#waiting.unshift(resolve);
      else this.#waiting.push(resolve);
    });
  }

  /** Hands the permit to the next in line, or frees it. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else if (this.#free < this.#size) this.#free++;
    else throw new Error('Released a semaphore no one holds.');
  }

  /** Runs `task` under a permit, released when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (!this.tryAcquire()) await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
