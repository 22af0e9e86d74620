import type { IdempotencyRecords } from '../idempotency.ts';

/** For repositories under test where no command carries an `Idempotency-Key`. */
export const noIdempotencyRecords: IdempotencyRecords = {
  async complete() {
    throw new Error('No idempotency records here: this test sends no Idempotency-Key.');
  },
  async forgetAllOf() {},
};
