import { DatabaseUnavailable } from '../../application/database-unavailable.ts';
import { redact } from '../redact-url.ts';
import { StartupError } from '../startup-error.ts';
import type { Database } from './database.ts';

/**
 * The database cannot be used as configured: it did not answer in time, it answered with an
 * error that waiting does not cure, or its SQLite file cannot be made or written. The message
 * is one line that says what to do.
 */
export class DatabaseStartupError extends StartupError {
  constructor(message: string, cause: unknown) {
    super(message, cause);
    this.name = 'DatabaseStartupError';
  }
}

/**
 * Waits until the database answers, trying again with growing pauses, for at most
 * `timeoutMs` (the server may still be starting). An answer that waiting cannot change (the
 * database does not exist, the credentials are refused, the URL is malformed) fails at once.
 */
export async function waitForDatabase(
  database: Database,
  url: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      await database.ping();
      return;
    } catch (failure) {
      // What the server or the driver said, not the 503 the service makes of it.
      const error = failure instanceof DatabaseUnavailable ? failure.cause : failure;
      const permanent = permanentConnectionProblem(error);
      if (permanent) {
        throw new DatabaseStartupError(`The database at ${redact(url)}: ${permanent}`, error);
      }
      if (Date.now() + pause > deadline) {
        throw new DatabaseStartupError(
          `The database at ${redact(url)} did not answer within ${Math.round(timeoutMs / 1000)} s (${(error as Error).message}): is it running? DATABASE_WAIT_SECONDS sets how long to wait.`,
          error,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * For an error met while first connecting: what to do about it when waiting cannot help (the
 * database does not exist, the credentials are refused, the URL is malformed, a SQLite file
 * cannot be opened or written); undefined when the error may pass (the server is not up yet).
 */
function permanentConnectionProblem(error: unknown): string | undefined {
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  switch (e?.code) {
    case '3D000':
      return `${message}: create it (e.g. \`createdb <name>\`) or point DATABASE_URL at one that exists.`;
    case '28P01':
    case '28000':
      return `${message}: check the user name and password in DATABASE_URL.`;
    case 'ERR_INVALID_URL':
      return 'DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database.';
    case 'ERR_SQLITE_ERROR': {
      // SQLite's primary code: SQLITE_CANTOPEN (14) when the path names a folder, or a file
      // that cannot be opened; SQLITE_READONLY (8) when the file or its folder cannot be
      // written. Others (SQLITE_BUSY: another process holds the write lock) may pass.
      const primary = typeof e.errcode === 'number' ? e.errcode & 0xff : undefined;
      return primary === 8 || primary === 14
        ? `${message}: DATABASE_URL must name a file this user can write, in a folder it can write.`
        : undefined;
    }
    default:
      return undefined;
  }
}
