import type { IdGenerator } from '../id-generator.ts';

/** UUID-shaped ids that count up: 00000000-0000-7000-8000-000000000001, ...2, ... */
export class SequentialIds implements IdGenerator {
  #last = 0;

  next(): string {
    this.#last++;
    return `00000000-0000-7000-8000-${String(this.#last).padStart(12, '0')}`;
  }
}
