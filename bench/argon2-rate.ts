import { argon2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);

/**
 * The machine's raw Argon2id rate at the service's parameters (OWASP: 19 MiB, 2 passes,
 * 1 lane), with as many hashes in flight as libuv has threads: the ceiling for logins.
 */
export async function rawArgon2Rate(seconds: number): Promise<number> {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const deadline = performance.now() + seconds * 1000;
  let hashes = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await argon2Async('argon2id', {
        message: 'correct horse battery staple',
        nonce: randomBytes(16),
        memory: 19_456,
        passes: 2,
        parallelism: 1,
        tagLength: 32,
      });
      hashes++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: threads }, worker));
  return hashes / ((performance.now() - started) / 1000);
}
