import type { Insertable, Kysely } from 'kysely';
import { ConcurrencyConflict } from '../../building-blocks/application/concurrency-conflict.ts';
import type { AggregateTracker } from '../../building-blocks/application/unit-of-work.ts';
import type { SqlTransaction } from '../../building-blocks/infrastructure/database/database.ts';
import {
  type Param,
  preparedQuery,
} from '../../building-blocks/infrastructure/database/prepared-query.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import type { SessionRepository } from '../application/ports.ts';
import type { RefreshTokenHash, Session, SessionId } from '../domain/session.ts';
import { fromRow, toRow } from './session-mapper.ts';
import type { AccountsTables, SessionsTable } from './tables.ts';

type Db = Kysely<AccountsTables>;
type SessionRow = Insertable<SessionsTable>;

const sessionById = preparedQuery((db: Db, param: Param<{ id: string }>) =>
  db.selectFrom('accounts.sessions').selectAll().where('id', '=', param('id')),
);

const sessionByCurrentToken = preparedQuery((db: Db, param: Param<{ hash: string }>) =>
  db.selectFrom('accounts.sessions').selectAll().where('refresh_token_hash', '=', param('hash')),
);

const sessionByRetiredToken = preparedQuery((db: Db, param: Param<{ hash: string }>) =>
  db
    .selectFrom('accounts.retired_refresh_tokens as retired')
    .innerJoin('accounts.sessions as session', 'session.id', 'retired.session_id')
    .selectAll('session')
    .where('retired.token_hash', '=', param('hash')),
);

const insertSession = preparedQuery((db: Db, param: Param<SessionRow>) =>
  db.insertInto('accounts.sessions').values({
    id: param('id'),
    user_id: param('user_id'),
    refresh_token_hash: param('refresh_token_hash'),
    created_at: param('created_at'),
    last_used_at: param('last_used_at'),
    expires_at: param('expires_at'),
    idle_expires_at: param('idle_expires_at'),
    revoked_at: param('revoked_at'),
    client_address: param('client_address'),
    user_agent: param('user_agent'),
    version: param('version'),
  }),
);

// The version in the WHERE clause is the optimistic-concurrency check: of two refreshes
// with one token, one rotates and the other, run again, finds the token retired.
const updateSession = preparedQuery((db: Db, param: Param<SessionRow & { next_version: number }>) =>
  db
    .updateTable('accounts.sessions')
    .set({
      refresh_token_hash: param('refresh_token_hash'),
      last_used_at: param('last_used_at'),
      idle_expires_at: param('idle_expires_at'),
      revoked_at: param('revoked_at'),
      version: param('next_version'),
    })
    .where('id', '=', param('id'))
    .where('version', '=', param('version')),
);

const retireToken = preparedQuery((db: Db, param: Param<{ hash: string; sessionId: string }>) =>
  db
    .insertInto('accounts.retired_refresh_tokens')
    .values({ token_hash: param('hash'), session_id: param('sessionId') }),
);

const revokeSessionsOfUser = preparedQuery(
  (db: Db, param: Param<{ userId: string; except: string; now: string }>) =>
    db
      .updateTable('accounts.sessions')
      .set((eb) => ({ revoked_at: param('now'), version: eb('version', '+', 1) }))
      .where('user_id', '=', param('userId'))
      .where('id', '<>', param('except'))
      .where('revoked_at', 'is', null),
);

const deleteRetiredTokensOfUser = preparedQuery((db: Db, param: Param<{ userId: string }>) =>
  db
    .deleteFrom('accounts.retired_refresh_tokens')
    .where((eb) =>
      eb(
        'session_id',
        'in',
        eb.selectFrom('accounts.sessions').select('id').where('user_id', '=', param('userId')),
      ),
    ),
);

const deleteSessionsOfUser = preparedQuery((db: Db, param: Param<{ userId: string }>) =>
  db.deleteFrom('accounts.sessions').where('user_id', '=', param('userId')),
);

/** Sessions in `accounts.sessions`; used refresh tokens' hashes in `retired_refresh_tokens`. */
export class KyselySessionRepository implements SessionRepository {
  readonly #tx: SqlTransaction<AccountsTables>;
  readonly #tracker: AggregateTracker;

  constructor(tx: SqlTransaction<AccountsTables>, tracker: AggregateTracker) {
    this.#tx = tx;
    this.#tracker = tracker;
  }

  async add(session: Session): Promise<void> {
    await insertSession.execute(this.#tx, { ...toRow(session), version: 1 });
    session.markStored(1);
    this.#tracker.track(session);
  }

  async findById(id: SessionId): Promise<Session | undefined> {
    return this.#load(await sessionById.executeTakeFirst(this.#tx, { id }));
  }

  async findByRefreshToken(hash: RefreshTokenHash) {
    const current = await sessionByCurrentToken.executeTakeFirst(this.#tx, { hash });
    if (current) return { session: this.#track(fromRow(current)), retired: false };
    const retired = await sessionByRetiredToken.executeTakeFirst(this.#tx, { hash });
    if (retired) return { session: this.#track(fromRow(retired)), retired: true };
    return undefined;
  }

  async save(session: Session): Promise<void> {
    const row = toRow(session);
    const next = row.version + 1;
    const updated = await updateSession.affectedRows(this.#tx, { ...row, next_version: next });
    if (updated === 0n) throw new ConcurrencyConflict('The session');
    const retired = session.retiredRefreshTokenHash;
    if (retired) await retireToken.execute(this.#tx, { hash: retired, sessionId: session.id });
    session.markStored(next);
    this.#tracker.track(session);
  }

  async revokeAllOf(userId: UserId, now: Date, options: { except?: SessionId } = {}) {
    // The nil UUID is no session's id: it excepts none.
    const except = options.except ?? '00000000-0000-0000-0000-000000000000';
    await revokeSessionsOfUser.execute(this.#tx, { userId, except, now: now.toISOString() });
  }

  async removeAllOf(userId: UserId): Promise<void> {
    await deleteRetiredTokensOfUser.execute(this.#tx, { userId });
    await deleteSessionsOfUser.execute(this.#tx, { userId });
  }

  #load(row: Parameters<typeof fromRow>[0] | undefined): Session | undefined {
    return row && this.#track(fromRow(row));
  }

  #track(session: Session): Session {
    this.#tracker.track(session);
    return session;
  }
}
