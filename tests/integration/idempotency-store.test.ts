import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  IdempotencyClaim,
  IdempotentRequest,
} from '../../src/building-blocks/application/idempotency.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import {
  IDEMPOTENCY_CLAIM_LEASE_MS,
  IDEMPOTENCY_KEY_LIFETIME_MS,
  KyselyIdempotencyStore,
} from '../../src/building-blocks/infrastructure/kysely-idempotency.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

let database: Database;
let drop: () => Promise<void>;
let store: KyselyIdempotencyStore;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  store = new KyselyIdempotencyStore(database, 'projects.idempotency_keys');
});
afterAll(() => drop());

const T0 = new Date('2026-11-30T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
let keys = 0;
const aRequest = (): IdempotentRequest => ({
  userId: 'user-1',
  key: `key-${++keys}`,
  fingerprint: 'digest-a',
});
const answer = (result: unknown) => ({
  status: 201,
  headers: { location: `/things/${result}` },
  body: JSON.stringify({ id: result }),
});

async function claimed(request: IdempotentRequest, now: Date): Promise<IdempotencyClaim> {
  const outcome = await store.claim(request, answer, now);
  if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
  return outcome.claim;
}

/** Stores the answer in a transaction, as a command does; `fail` rolls it back. */
const complete = (claim: IdempotencyClaim, result: unknown, fail = false) =>
  database.transaction(async (tx) => {
    await store.recordsOn(tx).complete(claim, result);
    if (fail) throw new Error('the command failed after storing its answer');
  });

describe(`idempotency keys on ${TEST_DIALECT}`, () => {
  test('claimed once; in flight until answered; then the answer, for 24 hours', async () => {
    const request = aRequest();
    const claim = await claimed(request, T0);

    expect(await store.claim(request, answer, at(1000))).toEqual({ kind: 'in-flight' });
    await complete(claim, 7);

    const replay = {
      kind: 'replay',
      response: { status: 201, headers: { location: '/things/7' }, body: '{"id":7}' },
    };
    expect(await store.claim(request, answer, at(2000))).toEqual(replay);
    expect(await store.claim(request, answer, at(IDEMPOTENCY_KEY_LIFETIME_MS - 1))).toEqual(replay);
    expect((await store.claim(request, answer, at(IDEMPOTENCY_KEY_LIFETIME_MS + 1))).kind).toBe(
      'claimed',
    );
  });

  test('another request with the key is a mismatch, in flight or answered', async () => {
    const request = aRequest();
    const claim = await claimed(request, T0);
    const other = { ...request, fingerprint: 'digest-b' };

    expect(await store.claim(other, answer, T0)).toEqual({ kind: 'mismatch' });
    await complete(claim, 1);
    expect(await store.claim(other, answer, T0)).toEqual({ kind: 'mismatch' });
  });

  test('the answer is committed with the command: a rollback stores none', async () => {
    const request = aRequest();
    const claim = await claimed(request, T0);

    await expect(complete(claim, 1, true)).rejects.toThrow('the command failed');
    await store.release(claim);

    expect((await store.claim(request, answer, at(1))).kind).toBe('claimed');
  });

  test('a claim that never got its answer is taken over after its lease', async () => {
    const request = aRequest();
    const abandoned = await claimed(request, T0);

    expect((await store.claim(request, answer, at(IDEMPOTENCY_CLAIM_LEASE_MS - 1))).kind).toBe(
      'in-flight',
    );
    const taken = await claimed(request, at(IDEMPOTENCY_CLAIM_LEASE_MS + 1));

    // The first one, if it ever finishes, cannot store its answer over the new claim's.
    await expect(complete(abandoned, 1)).rejects.toThrow(/still being processed/);
    await complete(taken, 2);
    const outcome = await store.claim(request, answer, at(IDEMPOTENCY_CLAIM_LEASE_MS + 2));
    expect(outcome).toMatchObject({ kind: 'replay', response: { body: '{"id":2}' } });
  });

  test('keys are per user', async () => {
    const request = aRequest();
    await claimed(request, T0);

    expect((await store.claim({ ...request, userId: 'user-2' }, answer, T0)).kind).toBe('claimed');
  });
});
