import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from './config-error.ts';

/**
 * Ed25519 keys for EdDSA access tokens (ADR 23): other services verify the tokens with the
 * public keys the service publishes, and never hold anything that could sign one.
 */
export interface SigningKeys {
  /** `JWT_PRIVATE_KEY`: signs every new token. */
  privateKey: KeyObject;
  /**
   * `JWT_VERIFICATION_KEYS`: more public keys that verify tokens and are published: the next
   * key before a rotation (so every verifier knows it before it signs anything), the previous
   * one after it (until its tokens have expired).
   */
  verificationKeys: KeyObject[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;
const HOW_TO = 'openssl genpkey -algorithm ed25519';

/**
 * Reads the PEM texts: PKCS#8 for the private key, SPKI for the public ones (several may
 * follow each other in one variable, with nothing else between them). A variable holding
 * `\n` escapes instead of line breaks, as many secret stores give them, is read as if it held
 * line breaks. An error never quotes a key.
 */
export function parseSigningKeys(
  privatePem: string | undefined,
  verificationPems: string | undefined,
): SigningKeys | undefined {
  if (!privatePem?.trim()) {
    if (verificationPems?.trim()) {
      throw new ConfigError('JWT_VERIFICATION_KEYS is set without JWT_PRIVATE_KEY.');
    }
    return undefined;
  }
  const privateKey = ed25519('JWT_PRIVATE_KEY', 'a PEM private key', () =>
    createPrivateKey(unescaped(privatePem)),
  );
  return { privateKey, verificationKeys: publicKeys(unescaped(verificationPems ?? '')) };
}

function publicKeys(pems: string): KeyObject[] {
  const blocks = [...pems.matchAll(PEM_BLOCK)];
  if (pems.replace(PEM_BLOCK, '').trim() !== '') {
    throw new ConfigError(
      'JWT_VERIFICATION_KEYS must hold PEM public keys and nothing else (a key cut short?).',
    );
  }
  return blocks.map(([block, label]) => {
    if (label !== 'PUBLIC KEY') {
      throw new ConfigError(
        `JWT_VERIFICATION_KEYS holds a ${label} block: only public keys belong there.`,
      );
    }
    return ed25519('JWT_VERIFICATION_KEYS', 'a PEM public key', () => createPublicKey(block));
  });
}

function ed25519(variable: string, what: string, read: () => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = read();
  } catch {
    throw new ConfigError(`${variable} is not ${what} (make one with: ${HOW_TO}).`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(
      `${variable} must be an Ed25519 key, not ${key.asymmetricKeyType} (make one with: ${HOW_TO}).`,
    );
  }
  return key;
}

const unescaped = (pem: string) => pem.replaceAll('\\n', '\n');
