import type { Clock } from '../clock.ts';

/** A clock that says what the test tells it to. */
export class FixedClock implements Clock {
  #now: Date;

  constructor(now: Date | string = '2026-01-02T03:04:05.000Z') {
    this.#now = new Date(now);
  }

  now(): Date {
    return new Date(this.#now);
  }

  advanceBy(milliseconds: number): void {
    this.#now = new Date(this.#now.getTime() + milliseconds);
  }
}
