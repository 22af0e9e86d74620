import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './config-error.ts';

export const MIN_SECRET_BYTES = 32;

/**
 * Where development keeps the JWT secret it made up, so that a restart (`npm run dev` restarts
 * on every save) does not log everybody out. Relative paths are from the working directory,
 * like the default database.
 */
export const DEVELOPMENT_SECRET_FILE = 'data/dev-jwt-secret';

export const newSecret = () => randomBytes(48).toString('base64');

/**
 * The secret in `file`, made (readable by its owner only) when there is none yet. A file this
 * process can neither read nor make (another user's, a folder it cannot write) stops the
 * start in one line that says what to do, not with the file system's error and its stack.
 */
export function keptSecret(file: string): string {
  try {
    return readOrMakeSecret(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `JWT_SECRET is not set, and the development secret cannot be kept in ${file} (${(error as Error).message}): set JWT_SECRET, or start where this user can read and write ${dirname(file)}.`,
    );
  }
}

function readOrMakeSecret(file: string): string {
  const kept = readSecretFile(file);
  if (kept !== undefined) return kept;
  // Written under a temporary name, then linked into place: linking fails when the file
  // exists, so two processes starting at once end up with the same secret, never half of one.
  const secret = newSecret();
  const draft = `${file}.${process.pid}.tmp`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(draft, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecretFile(file) ?? secret;
  } finally {
    rmSync(draft, { force: true });
  }
}

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (Buffer.byteLength(text) < MIN_SECRET_BYTES) {
    throw new ConfigError(
      `${file} holds fewer than ${MIN_SECRET_BYTES} bytes: delete it, and the next start makes a new secret.`,
    );
  }
  return text;
}
