import { createHash } from 'node:crypto';

// Crockford base32 without I, L, O, U: easy to read aloud and to type on a keypad.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short, stable reference for a registration, derived from its message id so that a redelivered
 * message gets the same reference it was first given.
 */
export function referenceFor(messageId: string): string {
  const digest = createHash('sha256').update(messageId).digest();
  let out = '';
  for (let i = 0; i < 8; i++) {
    const byte = digest[i] ?? 0;
    out += ALPHABET[byte % 32];
  }
  return out;
}
