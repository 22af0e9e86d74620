/**
 * A URL (of a database, of Redis) without its password, fit for a log line (a password may
 * hold `@`).
 */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/]*@/, '//***@');
  }
}
