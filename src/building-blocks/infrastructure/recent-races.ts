/**
 * The aggregates that lost a race a moment ago, by the key their repository names them by
 * (ADR 20). A command on one of them reads it with its row lock on the first attempt: where
 * commands keep meeting, reading without a lock first only makes most of them run twice.
 *
 * A loss is remembered for `windowMs`; while commands lock first they lose no race, so after
 * the window one of them reads without a lock again, and a loss starts a new window. At most
 * `capacity` aggregates are remembered, the oldest loss forgotten first.
 */
export class RecentRaces {
  readonly #lostAt = new Map<string, number>();
  readonly #windowMs: number;
  readonly #capacity: number;
  readonly #now: () => number;

  constructor({
    windowMs = 1_000,
    capacity = 1_000,
    now = () => performance.now(),
  }: { windowMs?: number; capacity?: number; now?: () => number } = {}) {
    this.#windowMs = windowMs;
    this.#capacity = capacity;
    this.#now = now;
  }

  lost(aggregate: string): void {
    this.#lostAt.delete(aggregate); // re-inserted last: the Map keeps the oldest loss first
    this.#lostAt.set(aggregate, this.#now());
    if (this.#lostAt.size > this.#capacity) {
      this.#lostAt.delete(this.#lostAt.keys().next().value as string);
    }
  }

  lostLately(aggregate: string): boolean {
    const at = this.#lostAt.get(aggregate);
    if (at === undefined) return false;
    if (this.#now() - at < this.#windowMs) return true;
    this.#lostAt.delete(aggregate);
    return false;
  }
}
