import { randomUUID } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import {
  type ClaimOutcome,
  type IdempotencyClaim,
  IdempotencyKeyInFlight,
  type IdempotencyRecords,
  type IdempotencyStore,
  type IdempotentRequest,
} from '../application/idempotency.ts';
import type { Database, SqlTransaction } from './database/database.ts';
import { isUniqueViolation } from './database/errors.ts';

/** How long a key and its answer are kept. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim whose answer never came (the process died mid-request) blocks its key: a
 * request far slower than the slowest command, so a live claim is never taken over.
 */
export const IDEMPOTENCY_CLAIM_LEASE_MS = 60 * 1000;
/**
 * How often a process forgets every user's expired keys (a claim forgets its own user's at
 * once): so the answers of someone who stopped sending requests are not kept for ever.
 */
export const IDEMPOTENCY_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

interface KeyRow {
  fingerprint: string;
  token: string;
  created_at: number | string;
  claimed_at: number | string;
  status: number | null;
  headers: string | null;
  body: string | null;
}

const run = <Row>(tx: SqlTransaction, query: RawBuilder<Row>) =>
  tx.execute<Row>(query.compile(tx.builder));

/**
 * A context's idempotency keys in its own table (`createIdempotencyTable`), per user. A key
 * is claimed in a short transaction before the command runs (its primary key lets one
 * request hold it); the command's transaction then stores the answer (`recordsOn`), so the
 * answer and what the command did commit together or not at all.
 */
export class KyselyIdempotencyStore implements IdempotencyStore {
  readonly #database: Database;
  readonly #table: RawBuilder<unknown>;
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(database: Database, table: string) {
    this.#database = database;
    this.#table = sql.table(table);
  }

  async claim(
    request: IdempotentRequest,
    answer: IdempotencyClaim['answer'],
    now: Date,
  ): Promise<ClaimOutcome> {
    const claim: IdempotencyClaim = { ...request, token: randomUUID(), answer };
    let outcome: ClaimOutcome;
    try {
      outcome = await this.#claimOnce(claim, now);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another request inserted the same key between this one's read and its insert (the
      // insert waited for it to commit). Read it again: a request with another path or body
      // is a mismatch, as it would have been a moment later, not a repeat in flight.
      outcome = await this.#claimOnce(claim, now).catch((again: unknown) => {
        if (isUniqueViolation(again)) return { kind: 'in-flight' } as const;
        throw again;
      });
    }
    await this.#sweep(now.getTime());
    return outcome;
  }

  #claimOnce(claim: IdempotencyClaim, now: Date): Promise<ClaimOutcome> {
    return this.#database.transaction((tx) => this.#claim(tx, claim, now.getTime()));
  }

  /**
   * Forgets every user's expired keys, at most once an interval: in a transaction of its own,
   * after the claim's, so a sweep that fails (it is tried again at the next claim) never
   * fails the request that happened to run it.
   */
  async #sweep(now: number): Promise<void> {
    if (now - this.#sweptAt < IDEMPOTENCY_SWEEP_INTERVAL_MS) return;
    this.#sweptAt = now;
    try {
      await this.#database.transaction((tx) =>
        run(
          tx,
          sql`delete from ${this.#table} where created_at < ${now - IDEMPOTENCY_KEY_LIFETIME_MS}`,
        ),
      );
    } catch {
      this.#sweptAt = Number.NEGATIVE_INFINITY;
    }
  }

  async #claim(tx: SqlTransaction, claim: IdempotencyClaim, now: number): Promise<ClaimOutcome> {
    const table = this.#table;
    // Keys past their lifetime are forgotten, the user's others with them.
    await run(
      tx,
      sql`delete from ${table} where user_id = ${claim.userId}
        and created_at < ${now - IDEMPOTENCY_KEY_LIFETIME_MS}`,
    );
    const { rows } = await run(
      tx,
      sql<KeyRow>`select fingerprint, token, created_at, claimed_at, status, headers, body
        from ${table} where user_id = ${claim.userId} and key = ${claim.key}`,
    );
    const row = rows[0];
    if (!row) {
      await run(
        tx,
        sql`insert into ${table} (user_id, key, fingerprint, token, created_at, claimed_at)
          values (${claim.userId}, ${claim.key}, ${claim.fingerprint}, ${claim.token}, ${now}, ${now})`,
      );
      return { kind: 'claimed', claim };
    }
    if (row.fingerprint !== claim.fingerprint) return { kind: 'mismatch' };
    if (row.status !== null) {
      return {
        kind: 'replay',
        response: {
          status: Number(row.status),
          headers: JSON.parse(row.headers ?? '{}'),
          body: row.body ?? '',
        },
      };
    }
    if (Number(row.claimed_at) > now - IDEMPOTENCY_CLAIM_LEASE_MS) return { kind: 'in-flight' };
    // The request that claimed it never answered: this one takes the key over.
    const { numAffectedRows } = await run(
      tx,
      sql`update ${table} set token = ${claim.token}, claimed_at = ${now}
        where user_id = ${claim.userId} and key = ${claim.key} and token = ${row.token}`,
    );
    return numAffectedRows === 0n ? { kind: 'in-flight' } : { kind: 'claimed', claim };
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    await this.#database.transaction((tx) =>
      run(
        tx,
        sql`delete from ${this.#table} where user_id = ${claim.userId} and key = ${claim.key}
          and token = ${claim.token} and status is null`,
      ),
    );
  }

  /** The records on a command's transaction. */
  recordsOn<Tables>(transaction: SqlTransaction<Tables>): IdempotencyRecords {
    const table = this.#table;
    // Raw statements on this table, which no context's table types name.
    const tx = transaction as unknown as SqlTransaction;
    return {
      async complete(claim, result) {
        const { status, headers, body } = claim.answer(result);
        const { numAffectedRows } = await run(
          tx,
          sql`update ${table} set status = ${status}, headers = ${JSON.stringify(headers)},
            body = ${body} where user_id = ${claim.userId} and key = ${claim.key}
            and token = ${claim.token} and status is null`,
        );
        if (numAffectedRows === 0n) throw new IdempotencyKeyInFlight();
      },
      async forgetAllOf(userId) {
        await run(tx, sql`delete from ${table} where user_id = ${userId}`);
      },
    };
  }
}
