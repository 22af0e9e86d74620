import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { FifoSemaphore } from '../../building-blocks/infrastructure/fifo-semaphore.ts';
import type { PasswordHasher } from '../application/ports.ts';
import type { Password, PasswordHash } from '../domain/password.ts';

const argon2Async = promisify(argon2);

export interface Argon2Parameters {
  /** Memory cost in KiB. */
  memory: number;
  passes: number;
  parallelism: number;
}

/** OWASP's password-storage recommendation for Argon2id: 19 MiB, 2 passes, 1 lane. */
export const OWASP_ARGON2ID: Argon2Parameters = { memory: 19_456, passes: 2, parallelism: 1 };

const TAG_BYTES = 32;
const SALT_BYTES = 16;
const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * Argon2id from `node:crypto`, run on libuv's thread pool so hashing never blocks the
 * event loop. Hashes are PHC strings, so parameters can be raised later without breaking
 * stored hashes.
 *
 * At most one hash per CPU runs at a time: more would not finish sooner (the work is all
 * CPU), but each would hold its 19 MiB, and a login flood would take the thread pool from
 * everything else that needs it.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  readonly #parameters: Argon2Parameters;
  readonly #slots = new FifoSemaphore(availableParallelism());
  /**
   * What an unknown user's password is checked against: a hash no password matches (a random
   * tag), made without hashing, so that the first such check costs one derivation too, as
   * checking a real user's does.
   */
  readonly #dummyHash: PasswordHash;

  constructor(parameters: Argon2Parameters = OWASP_ARGON2ID) {
    this.#parameters = parameters;
    this.#dummyHash = phc(parameters, randomBytes(SALT_BYTES), randomBytes(TAG_BYTES));
  }

  /** Hashes and checks waiting for a slot. */
  get waiting(): number {
    return this.#slots.waiting;
  }

  async hash(password: Password): Promise<PasswordHash> {
    const salt = randomBytes(SALT_BYTES);
    const tag = await this.#slots.run(() => derive(password, salt, this.#parameters, TAG_BYTES));
    return phc(this.#parameters, salt, tag);
  }

  async verify(password: string, hash: PasswordHash | undefined): Promise<boolean> {
    // No user: spend the same work on a hash that cannot match, then say no.
    if (hash === undefined) {
      await this.verify(password, this.#dummyHash);
      return false;
    }
    const match = PHC.exec(hash);
    if (!match) return false;
    const [, memory, passes, parallelism, salt, expected] = match as unknown as string[];
    const expectedTag = Buffer.from(expected as string, 'base64');
    const parameters = {
      memory: Number(memory),
      passes: Number(passes),
      parallelism: Number(parallelism),
    };
    const nonce = Buffer.from(salt as string, 'base64');
    const tag = await this.#slots.run(() =>
      derive(password, nonce, parameters, expectedTag.length),
    );
    // Derived all the same (the same time), but a lone surrogate, encoded as U+FFFD, would
    // otherwise match a password holding that character.
    return (
      password.isWellFormed() &&
      tag.length === expectedTag.length &&
      timingSafeEqual(tag, expectedTag)
    );
  }
}

/** A hash as a PHC string: the algorithm, its parameters, the salt and the tag. */
function phc({ memory, passes, parallelism }: Argon2Parameters, salt: Buffer, tag: Buffer) {
  return `$argon2id$v=19$m=${memory},t=${passes},p=${parallelism}$${b64(salt)}$${b64(tag)}` as PasswordHash;
}

function derive(
  password: string,
  salt: Buffer,
  { memory, passes, parallelism }: Argon2Parameters,
  tagLength: number,
): Promise<Buffer> {
  return argon2Async('argon2id', {
    message: password,
    nonce: salt,
    memory,
    passes,
    parallelism,
    tagLength,
  });
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
