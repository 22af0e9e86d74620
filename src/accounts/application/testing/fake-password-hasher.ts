import type { Password, PasswordHash } from '../../domain/password.ts';
import type { PasswordHasher } from '../ports.ts';

/** Reversible on purpose, so tests can see what was hashed; counts its work. */
export class FakePasswordHasher implements PasswordHasher {
  verifications = 0;

  async hash(password: Password): Promise<PasswordHash> {
    return `hashed:${password}` as PasswordHash;
  }

  async verify(password: string, hash: PasswordHash | undefined): Promise<boolean> {
    this.verifications++;
    return hash === `hashed:${password}`;
  }
}
