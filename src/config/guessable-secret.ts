/**
 * Whether a secret is a few characters repeated (32 × "a", "abab..."), which anyone could
 * guess whatever its length. It takes what the secret could hold at most, were its characters
 * drawn at random from those it uses (Shannon's entropy of its characters, times its length):
 * no measure of a secret's strength (`password` × 4 counts 88 bits and passes), but a random
 * secret counts far more (a random 32-character hex string, the weakest `openssl rand`
 * suggestion, 92-128 bits) and a few characters repeated far less (32 × "a": 0).
 */
export function isGuessable(secret: string): boolean {
  return estimatedBits(secret) < MIN_SECRET_BITS;
}

const MIN_SECRET_BITS = 80;

function estimatedBits(secret: string): number {
  const characters = [...secret];
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let perCharacter = 0;
  for (const count of counts.values()) {
    const p = count / characters.length;
    perCharacter -= p * Math.log2(p);
  }
  return perCharacter * characters.length;
}
