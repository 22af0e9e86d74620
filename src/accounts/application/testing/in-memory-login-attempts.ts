import type { LoginAttempts } from '../../domain/login-throttling.ts';
import type { LoginAttemptStore } from '../login-throttle.ts';

/** The store of one process, for unit tests. */
export class InMemoryLoginAttempts implements LoginAttemptStore {
  readonly states = new Map<string, LoginAttempts>();
  /** Calls of each method, as round trips to a shared store would be. */
  readonly calls = { read: 0, replace: 0, forget: 0 };

  async read(key: string) {
    this.calls.read++;
    return this.states.get(key);
  }

  async replace(key: string, expected: LoginAttempts | undefined, next: LoginAttempts) {
    this.calls.replace++;
    const current = this.states.get(key);
    if (JSON.stringify(current) !== JSON.stringify(expected)) return false;
    this.states.set(key, next);
    return true;
  }

  async forget(key: string) {
    this.calls.forget++;
    this.states.delete(key);
  }
}
