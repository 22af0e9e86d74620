import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from './config-error.ts';

/**
 * Ed25519 keys for EdDSA access tokens (ADR 23): other services verify the tokens with the
 * public keys the service publishes, and never hold anything that could sign one.
 */
export interface SigningKeys {
  /** `JWT_PRIVATE_KEY`: signs every new token. */
  privateKey: KeyObject;
  /** `JWT_PREVIOUS_PUBLIC_KEYS`: verify tokens signed before a rotation, until they expire. */
  previousPublicKeys: KeyObject[];
}

const PUBLIC_KEY_PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;
const HOW_TO = 'openssl genpkey -algorithm ed25519';

/**
 * Reads the PEM texts (PKCS#8 for the private key, SPKI for the public ones, several of which
 * may follow each other in one variable). A variable holding `\n` escapes instead of line
 * breaks, as many secret stores give them, is read as if it held line breaks. An error never
 * quotes a key.
 */
export function parseSigningKeys(
  privatePem: string | undefined,
  previousPems: string | undefined,
): SigningKeys | undefined {
  if (!privatePem?.trim()) {
    if (previousPems?.trim()) {
      throw new ConfigError('JWT_PREVIOUS_PUBLIC_KEYS is set without JWT_PRIVATE_KEY.');
    }
    return undefined;
  }
  const privateKey = ed25519('JWT_PRIVATE_KEY', () => createPrivateKey(unescaped(privatePem)));
  const blocks = unescaped(previousPems ?? '').match(PUBLIC_KEY_PEM) ?? [];
  if (previousPems?.trim() && blocks.length === 0) {
    throw new ConfigError('JWT_PREVIOUS_PUBLIC_KEYS holds no PEM public key.');
  }
  const previousPublicKeys = blocks.map((block) =>
    ed25519('JWT_PREVIOUS_PUBLIC_KEYS', () => createPublicKey(block)),
  );
  return { privateKey, previousPublicKeys };
}

function ed25519(variable: string, read: () => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = read();
  } catch {
    throw new ConfigError(`${variable} is not a PEM key (make one with: ${HOW_TO}).`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(
      `${variable} must be an Ed25519 key, not ${key.asymmetricKeyType} (make one with: ${HOW_TO}).`,
    );
  }
  return key;
}

const unescaped = (pem: string) => pem.replaceAll('\\n', '\n');
