/**
 * The database could not be used just now: its connection was lost, it is restarting, or it
 * does not answer. Nothing the client sent is wrong; the same request may well succeed in a
 * moment (HTTP 503 with `Retry-After`).
 *
 * `safeToRetry` says whether the failed work certainly changed nothing: the connection was lost
 * before COMMIT was sent, so the transaction was rolled back. The bus then runs the command
 * again, on another connection. When the connection was lost while COMMIT was under way, the
 * outcome is unknown, and running the command again could apply it twice: not retried.
 */
export class DatabaseUnavailable extends Error {
  readonly safeToRetry: boolean;

  constructor(cause: unknown, options: { safeToRetry: boolean }) {
    super('The database is unavailable.', { cause });
    this.name = 'DatabaseUnavailable';
    this.safeToRetry = options.safeToRetry;
  }
}
