/**
 * Whether a driver error is a unique-constraint violation (SQLite extended codes 2067 and
 * 1555, PostgreSQL SQLSTATE 23505), optionally on a constraint or index whose name
 * contains `name`.
 */
export function isUniqueViolation(error: unknown, name?: string): boolean {
  const e = error as { errcode?: number; code?: string; constraint?: string; message?: string };
  const unique = e?.errcode === 2067 || e?.errcode === 1555 || e?.code === '23505';
  if (!unique || name === undefined) return unique;
  return (e.constraint ?? e.message ?? '').includes(name);
}

/** Whether a statement named a table that does not exist (a database never migrated). */
export function isMissingTable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (
    e?.code === '42P01' || (typeof e?.message === 'string' && /^no such table/.test(e.message))
  );
}

/**
 * Whether SQLite could not take a lock another connection holds (SQLITE_BUSY and its
 * extended codes): in a deferred transaction, its first write while another connection
 * writes, or after another connection committed since this transaction's first read
 * (SQLITE_BUSY_SNAPSHOT). Either way the transaction must start again.
 */
export function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number })?.errcode;
  return code !== undefined && (code & 0xff) === 5;
}

/**
 * Whether PostgreSQL gave up a transaction to keep concurrent ones correct: a serialization
 * failure (SQLSTATE 40001) or a deadlock it broke (40P01). Nothing was written; the work may
 * simply run again.
 */
export function isSerializationFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '40001' || code === '40P01';
}

const LOST_CONNECTION_CODES = new Set([
  // PostgreSQL: the server ended the session (an administrator, a shutdown, a crash, or it is
  // starting up).
  '57P01',
  '57P02',
  '57P03',
  // The socket's own errors, the name lookup's included (a failover moves the name).
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What `pg` says, without a code, of a connection that ended or failed. */
const LOST_CONNECTION_MESSAGES = /connection terminated|not queryable|connection ended/i;

/** What `pg`'s pool says when no connection became free in time. */
const POOL_TIMEOUT_MESSAGE = /timeout exceeded when trying to connect/i;

/**
 * Whether an error means the database could not be used, as opposed to a statement that was
 * wrong: `lost` when the connection failed or ended (SQLSTATE class 08, the server ending
 * the session, the socket failing: another connection may well work at once), `busy` when
 * none could be had (the server's connection limit, 53300, or the pool's wait timing out:
 * trying again at once would only add load); undefined otherwise.
 */
export function connectionTrouble(error: unknown): 'lost' | 'busy' | undefined {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === '53300' || POOL_TIMEOUT_MESSAGE.test(message)) return 'busy';
  if (code.startsWith('08') || LOST_CONNECTION_CODES.has(code)) return 'lost';
  return LOST_CONNECTION_MESSAGES.test(message) ? 'lost' : undefined;
}
