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
