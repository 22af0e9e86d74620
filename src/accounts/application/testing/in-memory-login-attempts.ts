import type { LoginAttempts } from '../../domain/login-throttling.ts';
import type { LoginAttemptStore } from '../login-throttle.ts';

/** The store of one process, for unit tests. */
export class InMemoryLoginAttempts implements LoginAttemptStore {
  readonly states = new Map<string, LoginAttempts>();

  async read(key: string) {
    return this.states.get(key);
  }

  async replace(key: string, expected: LoginAttempts | undefined, next: LoginAttempts) {
    const current = this.states.get(key);
    if (JSON.stringify(current) !== JSON.stringify(expected)) return false;
    this.states.set(key, next);
    return true;
  }

  async forget(key: string) {
    this.states.delete(key);
  }
}
