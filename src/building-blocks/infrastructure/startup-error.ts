/**
 * A process cannot start as configured, for a reason the operator can fix (a setting, a
 * dependency that refuses): its message is one line that says what to do, printed without
 * a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StartupError';
  }
}
