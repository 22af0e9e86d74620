import type { Tracer } from '@opentelemetry/api';
import { inSpan } from '../../building-blocks/observability/spans.ts';
import type { PasswordHasher } from '../application/ports.ts';

/**
 * A span around each hash and each check: the slowest step of registration and login, and
 * the one that queues under load (see `taskflow_password_hash_queue_length`). Nothing of the
 * password or the hash goes into it.
 */
export function tracedPasswordHasher(hasher: PasswordHasher, tracer: Tracer): PasswordHasher {
  return {
    hash: (password) => inSpan(tracer, 'password hash', {}, () => hasher.hash(password)),
    verify: (password, hash) =>
      inSpan(tracer, 'password verify', {}, () => hasher.verify(password, hash)),
  };
}
