/**
 * A store the request needs could not be used just now (`store` names it: the database, or
 * the store of login attempts in Redis). The database: its connection was lost, it is restarting or down,
 * or no connection could be had in time. Nothing the client sent is wrong (HTTP 503).
 *
 * - `nothingWritten`: the failed work certainly changed nothing (the connection was lost
 *   before COMMIT was sent, so the server rolled the transaction back, or the work never got a
 *   connection): the client may send the same request again (`Retry-After`). When the
 *   connection was lost while COMMIT was under way, the outcome is unknown: the change may be
 *   stored, and the client must look before sending it again.
 * - `retryAtOnce`: the bus may run the command again straight away, on another connection
 *   (a connection that was lost is replaced; when the pool or the server is simply busy, trying
 *   again at once would only add load).
 */
export class DatabaseUnavailable extends Error {
  readonly nothingWritten: boolean;
  readonly retryAtOnce: boolean;
  /** Which store it was, in the words the client and the log are told (`database` by default). */
  readonly store: string;

  constructor(
    cause: unknown,
    options: { nothingWritten: boolean; retryAtOnce: boolean; store?: string },
  ) {
    const store = options.store ?? 'database';
    super(`The ${store} is unavailable.`, { cause });
    this.name = 'DatabaseUnavailable';
    this.nothingWritten = options.nothingWritten;
    this.retryAtOnce = options.retryAtOnce && options.nothingWritten;
    this.store = store;
  }
}
