/**
 * A query parameter that holds a password: `pg` takes each query parameter as a setting, so
 * `?password=` is the password as surely as `user:password@` is; `sslpassword` (libpq's, for
 * the client key) goes the same way.
 */
const PASSWORD_PARAMETER = /([?&][^=&#]*password=)[^&#]*/gi;

/**
 * A URL (of a database, of Redis) without its password, fit for a log line (a password may
 * hold `@`), nor any query parameter named like one.
 */
export function redact(url: string): string {
  let shown: string;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    shown = parsed.toString();
  } catch {
    shown = url.replace(/\/\/[^/]*@/, '//***@');
  }
  return shown.replace(PASSWORD_PARAMETER, '$1***');
}
