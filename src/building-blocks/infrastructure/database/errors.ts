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
  // The socket's own errors.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** What `pg` says, without a code, of a connection that ended or could not be had in time. */
const LOST_CONNECTION_MESSAGES =
  /connection terminated|not queryable|timeout exceeded when trying to connect|connection ended/i;

/**
 * Whether a PostgreSQL connection failed or was lost, as opposed to a statement that was
 * wrong: SQLSTATE class 08 (connection exception), the server ending the session, the socket
 * failing, or `pg` reporting a connection that ended. The same request may succeed on
 * another connection.
 */
export function isConnectionFailure(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code.startsWith('08') || LOST_CONNECTION_CODES.has(code)) return true;
  return typeof e?.message === 'string' && LOST_CONNECTION_MESSAGES.test(e.message);
}

/**
 * For an error met while first connecting: what to do about it when waiting cannot help (the
 * database does not exist, the credentials are refused, the URL is malformed); undefined when
 * the error may pass (the server is not up yet).
 */
export function permanentConnectionProblem(error: unknown): string | undefined {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  switch (e?.code) {
    case '3D000':
      return `${message}: create it (e.g. \`createdb <name>\`) or point DATABASE_URL at one that exists.`;
    case '28P01':
    case '28000':
      return `${message}: check the user name and password in DATABASE_URL.`;
    case 'ERR_INVALID_URL':
      return 'DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database.';
    default:
      return undefined;
  }
}
