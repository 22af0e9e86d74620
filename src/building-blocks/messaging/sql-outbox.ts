import type { Kysely } from 'kysely';
import type { DomainEvent } from '../domain/domain-event.ts';
import type { Database, SqlTransaction } from '../infrastructure/database/database.ts';
import { type Param, preparedQuery } from '../infrastructure/database/prepared-query.ts';
import { readTimestamp } from '../infrastructure/database/timestamps.ts';
import type { InboxTable, OutboxTable } from './message-tables.ts';
import type { OutboxMessage } from './outbox-message.ts';

type OutboxDb = Record<string, OutboxTable>;
type InboxDb = Record<string, InboxTable>;

/** A message as `stats` counts them. */
export interface OutboxStats {
  context: string;
  pending: number;
  /** Seconds since the oldest pending message occurred; 0 with none pending. */
  oldestPendingSeconds: number;
  dead: number;
}

export interface DeadLetter {
  context: string;
  id: string;
  type: string;
  attempts: number;
  error: string;
  deadAt: Date;
}

/** What the unit of work stores for each event: the outbox's id and the contract version. */
export interface NewMessage {
  id: string;
  version: number;
  event: DomainEvent;
  occurredAt: Date;
  headers: Record<string, string>;
  /** The writer claims its own messages for this long: it delivers them right after COMMIT. */
  lockedUntil: Date;
}

/**
 * One context's outbox and inbox tables in SQL: the statements of the unit of work (append a
 * message, record a delivery) and those of the relay and the `messages` command.
 */
export class SqlOutbox {
  readonly context: string;
  readonly #database: Database;
  readonly #outbox: string;
  readonly #inbox: string;
  /** Every outbox of the database: the messages this context's handlers may be given. */
  readonly #outboxes: string[];
  readonly #insert;
  readonly #recordDelivery;

  /** `contexts`: every context whose outbox is in this database (this one among them). */
  constructor(database: Database, context: string, contexts: readonly string[] = [context]) {
    this.context = context;
    this.#database = database;
    this.#outbox = `${context}.outbox`;
    this.#inbox = `${context}.inbox`;
    this.#outboxes = [...new Set([context, ...contexts])].map((name) => `${name}.outbox`);
    const outbox = this.#outbox;
    const inbox = this.#inbox;
    this.#insert = preparedQuery((db: Kysely<OutboxDb>, param: Param<OutboxRow>) =>
      db.insertInto(outbox).values({
        id: param('id'),
        type: param('type'),
        version: param('version'),
        payload: param('payload'),
        headers: param('headers'),
        occurred_at: param('occurred_at'),
        attempts: 0,
        next_attempt_at: param('next_attempt_at'),
        locked_until: param('locked_until'),
      }),
    );
    this.#recordDelivery = preparedQuery(
      (db: Kysely<InboxDb>, param: Param<{ message_id: string; handler: string; now: string }>) =>
        db
          .insertInto(inbox)
          .values({
            message_id: param('message_id'),
            handler: param('handler'),
            processed_at: param('now'),
          })
          .onConflict((conflict) => conflict.doNothing()),
    );
  }

  /** In a unit of work's transaction: stores its events. */
  async append(tx: SqlTransaction, messages: readonly NewMessage[]): Promise<void> {
    for (const message of messages) {
      await this.#insert.execute(tx as SqlTransaction<OutboxDb>, {
        id: message.id,
        type: message.event.type,
        version: message.version,
        payload: JSON.stringify(message.event.payload),
        headers: JSON.stringify(message.headers),
        occurred_at: message.occurredAt.toISOString(),
        next_attempt_at: message.occurredAt.toISOString(),
        locked_until: message.lockedUntil.toISOString(),
      });
    }
  }

  /**
   * In a unit of work's transaction: records that `handler` processed `messageId`. False when
   * it was already recorded (the handler's work must then roll back).
   */
  async recordDelivery(tx: SqlTransaction, messageId: string, handler: string): Promise<boolean> {
    const now = new Date().toISOString();
    const rows = await this.#recordDelivery.affectedRows(tx as SqlTransaction<InboxDb>, {
      message_id: messageId,
      handler,
      now,
    });
    return rows > 0n;
  }

  /** Outside any unit of work: the same record, in a transaction of its own. */
  async recordDeliveryAlone(messageId: string, handler: string): Promise<void> {
    await this.#database.transaction((tx) => this.recordDelivery(tx, messageId, handler));
  }

  async hasDelivery(messageId: string, handler: string): Promise<boolean> {
    const rows = await this.#database.reads.all(
      this.#inboxDb()
        .selectFrom(this.#inbox)
        .select('message_id')
        .where('message_id', '=', messageId)
        .where('handler', '=', handler)
        .compile(),
    );
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` messages due for delivery, oldest id first, until `lockedUntil`: no
   * other relay takes them meanwhile. On PostgreSQL rows another relay is claiming are
   * skipped (`FOR UPDATE SKIP LOCKED`) rather than waited for.
   */
  async claim(now: Date, lockedUntil: Date, limit: number): Promise<OutboxMessage[]> {
    const db = this.#outboxDb();
    const at = now.toISOString();
    const due = db
      .selectFrom(this.#outbox)
      .select('id')
      .where('processed_at', 'is', null)
      .where('dead_at', 'is', null)
      .where('next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
      .orderBy('id')
      .limit(limit)
      .$if(this.#database.supportsRowLocks, (query) => query.forUpdate().skipLocked());
    const query = db
      .updateTable(this.#outbox)
      .set({ locked_until: lockedUntil.toISOString() })
      .where('id', 'in', due)
      .returning(['id', 'type', 'version', 'payload', 'headers', 'occurred_at', 'attempts'])
      .compile();
    const { rows } = await this.#database.transaction((tx) => tx.execute(query));
    return rows
      .map((row) => ({
        id: row.id,
        context: this.context,
        type: row.type,
        version: row.version,
        payload: JSON.parse(row.payload) as unknown,
        headers: JSON.parse(row.headers) as Record<string, string>,
        occurredAt: readTimestamp(row.occurred_at),
        attempts: row.attempts,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Marks delivered messages processed: those still at the attempt they were delivered at
   * (one a broker's consumer failed meanwhile was put back in line, and stays there).
   */
  async markProcessed(
    messages: readonly { id: string; attempts: number }[],
    now: Date,
  ): Promise<void> {
    const byAttempts = Map.groupBy(messages, (m) => m.attempts);
    const queries = [...byAttempts].map(([attempts, group]) =>
      this.#outboxDb()
        .updateTable(this.#outbox)
        .set({ processed_at: now.toISOString(), locked_until: null })
        .where(
          'id',
          'in',
          group.map((m) => m.id),
        )
        .where('attempts', '=', attempts)
        .compile(),
    );
    if (queries.length === 0) return;
    await this.#database.transaction(async (tx) => {
      for (const query of queries) await tx.execute(query);
    });
  }

  /**
   * Moves the claim on messages still being delivered to `lockedUntil`, so that no other relay
   * takes them while a slow handler (a mail server that answers slowly) is still at work.
   */
  async extendClaim(ids: readonly string[], lockedUntil: Date): Promise<void> {
    if (ids.length === 0) return;
    const query = this.#outboxDb()
      .updateTable(this.#outbox)
      .set({ locked_until: lockedUntil.toISOString() })
      .where('id', 'in', ids)
      .where('processed_at', 'is', null)
      .where('locked_until', 'is not', null)
      .compile();
    await this.#database.transaction((tx) => tx.execute(query));
  }

  /** Claimed messages that could not be sent (no broker): free for the next poll at once. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const query = this.#outboxDb()
      .updateTable(this.#outbox)
      .set({ locked_until: null })
      .where('id', 'in', ids)
      .where('processed_at', 'is', null)
      .compile();
    await this.#database.transaction((tx) => tx.execute(query));
  }

  /**
   * A failed delivery of a message at attempt `failure.attempts - 1`: due again at
   * `nextAttemptAt`, or dead (`deadAt`), with its error; pending again if it was marked
   * processed (a broker's consumer failed after the relay's publish was confirmed). False when
   * no row is at that attempt: another consumer recorded this attempt's failure, or the row is
   * gone.
   */
  async markFailed(
    id: string,
    failure: { attempts: number; error: string; nextAttemptAt: Date; deadAt: Date | null },
  ): Promise<boolean> {
    const query = this.#outboxDb()
      .updateTable(this.#outbox)
      .set({
        attempts: failure.attempts,
        last_error: failure.error.slice(0, 4000),
        next_attempt_at: failure.nextAttemptAt.toISOString(),
        dead_at: failure.deadAt?.toISOString() ?? null,
        processed_at: null,
        locked_until: null,
      })
      .where('id', '=', id)
      .where('attempts', '=', failure.attempts - 1)
      .compile();
    const result = await this.#database.transaction((tx) => tx.execute(query));
    return (result.numAffectedRows ?? 0n) > 0n;
  }

  /** Whether the outbox still holds message `id`. */
  async holds(id: string): Promise<boolean> {
    const rows = await this.#database.reads.all(
      this.#outboxDb().selectFrom(this.#outbox).select('id').where('id', '=', id).compile(),
    );
    return rows.length > 0;
  }

  /** Dead messages back to pending with a fresh count of attempts; how many. */
  async redrive(id: string | 'all', now: Date): Promise<number> {
    const query = this.#outboxDb()
      .updateTable(this.#outbox)
      .set({ dead_at: null, attempts: 0, next_attempt_at: now.toISOString(), locked_until: null })
      .where('dead_at', 'is not', null)
      .$if(id !== 'all', (q) => q.where('id', '=', id))
      .compile();
    const result = await this.#database.transaction((tx) => tx.execute(query));
    return Number(result.numAffectedRows ?? 0n);
  }

  /**
   * Deletes messages processed before `before`, and this context's inbox rows older than
   * that of messages no outbox holds any more; how many messages. An inbox row outlives its
   * message's retention while the message may still be delivered (pending, or dead and
   * redriven later): without it, the handlers that had taken it would take it again.
   */
  async purge(before: Date): Promise<number> {
    const at = before.toISOString();
    const messages = this.#outboxDb()
      .deleteFrom(this.#outbox)
      .where('processed_at', '<', at)
      .compile();
    const db = this.#outboxDb();
    const [first, ...others] = this.#outboxes.map((outbox) => db.selectFrom(outbox).select('id'));
    const held = others.reduce(
      (all, outbox) => all.unionAll(outbox),
      first as NonNullable<typeof first>,
    );
    const deliveries = this.#inboxDb()
      .deleteFrom(this.#inbox)
      .where('processed_at', '<', at)
      .where('message_id', 'not in', held)
      .compile();
    return this.#database.transaction(async (tx) => {
      const result = await tx.execute(messages);
      await tx.execute(deliveries);
      return Number(result.numAffectedRows ?? 0n);
    });
  }

  async stats(now: Date): Promise<OutboxStats> {
    const db = this.#outboxDb();
    const [pending] = await this.#database.reads.all<{ count: number | string; oldest: unknown }>(
      db
        .selectFrom(this.#outbox)
        .select((eb) => [eb.fn.countAll().as('count'), eb.fn.min('occurred_at').as('oldest')])
        .where('processed_at', 'is', null)
        .where('dead_at', 'is', null)
        .compile(),
    );
    const [dead] = await this.#database.reads.all<{ count: number | string }>(
      db
        .selectFrom(this.#outbox)
        .select((eb) => eb.fn.countAll().as('count'))
        .where('dead_at', 'is not', null)
        .compile(),
    );
    const oldest = pending?.oldest ? readTimestamp(pending.oldest as string | Date) : null;
    return {
      context: this.context,
      pending: Number(pending?.count ?? 0),
      oldestPendingSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
      dead: Number(dead?.count ?? 0),
    };
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const rows = await this.#database.reads.all<{
      id: string;
      type: string;
      attempts: number;
      last_error: string | null;
      dead_at: string | Date;
    }>(
      this.#outboxDb()
        .selectFrom(this.#outbox)
        .select(['id', 'type', 'attempts', 'last_error', 'dead_at'])
        .where('dead_at', 'is not', null)
        .orderBy('id')
        .compile(),
    );
    return rows.map((row) => ({
      context: this.context,
      id: row.id,
      type: row.type,
      attempts: row.attempts,
      error: row.last_error ?? '',
      deadAt: readTimestamp(row.dead_at),
    }));
  }

  #outboxDb(): Kysely<OutboxDb> {
    return this.#database.kysely as unknown as Kysely<OutboxDb>;
  }

  #inboxDb(): Kysely<InboxDb> {
    return this.#database.kysely as unknown as Kysely<InboxDb>;
  }
}

interface OutboxRow {
  id: string;
  type: string;
  version: number;
  payload: string;
  headers: string;
  occurred_at: string;
  next_attempt_at: string;
  locked_until: string;
}
