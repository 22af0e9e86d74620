import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  IdempotencyClaim,
  IdempotentRequest,
} from '../../src/building-blocks/application/idempotency.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import {
  IDEMPOTENCY_CLAIM_LEASE_MS,
  IDEMPOTENCY_KEY_LIFETIME_MS,
  IDEMPOTENCY_SWEEP_INTERVAL_MS,
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

/** How many keys `userId` has in the table, answered or not. */
const keysOf = (userId: string) =>
  database.transaction(async (tx) => {
    const { rows } = await tx.execute<{ keys: number | string }>(
      sql<{
        keys: number | string;
      }>`select count(*) as keys from ${sql.table('projects.idempotency_keys')}
        where user_id = ${userId}`.compile(tx.builder),
    );
    return Number(rows[0]?.keys);
  });

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

  test('of two requests claiming one key at once, the other one is a mismatch, not in flight', async () => {
    for (let round = 0; round < 10; round++) {
      const request = aRequest();
      const other = { ...request, fingerprint: 'digest-b' };

      const outcomes = await Promise.all([
        store.claim(request, answer, T0),
        store.claim(other, answer, T0),
      ]);

      expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['claimed', 'mismatch']);
    }
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

  test('a deleted account’s keys are forgotten with the command that deletes its data', async () => {
    const gone = { ...aRequest(), userId: 'user-gone' };
    const kept = { ...aRequest(), userId: 'user-kept' };
    await complete(await claimed(gone, T0), 1);
    await complete(await claimed(kept, T0), 2);

    await database.transaction((tx) => store.recordsOn(tx).forgetAllOf('user-gone'));

    expect(await keysOf('user-gone')).toBe(0);
    expect(await keysOf('user-kept')).toBe(1);
  });

  test('expired keys of every user are swept, at most once an interval per process', async () => {
    const sweeper = new KyselyIdempotencyStore(database, 'projects.idempotency_keys');
    const busy = () => ({ ...aRequest(), userId: 'user-busy' });
    await complete(await claimed({ ...aRequest(), userId: 'user-idle' }, T0), 1);
    const sweepAt = IDEMPOTENCY_KEY_LIFETIME_MS - 10;

    // The process's first claim sweeps: the idle user's key has not expired yet.
    await sweeper.claim(busy(), answer, at(sweepAt));
    expect(await keysOf('user-idle')).toBe(1);
    // It has now, but the last sweep is less than an interval ago.
    await sweeper.claim(busy(), answer, at(sweepAt + 20));
    expect(await keysOf('user-idle')).toBe(1);
    await sweeper.claim(busy(), answer, at(sweepAt + IDEMPOTENCY_SWEEP_INTERVAL_MS));
    expect(await keysOf('user-idle')).toBe(0);
  });
});
