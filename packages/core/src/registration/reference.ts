import { createHash, createHmac } from 'node:crypto';

// Crockford base32 without I, L, O, U: easy to read aloud and to type on a keypad.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encode(digest: Buffer): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += ALPHABET[(digest[i] ?? 0) % 32];
  return out;
}

/**
 * A short, stable reference for a vertical-expansion enrollment, derived from its message id so that a
 * re-run gives the same one. Never sent to a phone (vertical enrollments are not answered by SMS).
 */
export function referenceFor(messageId: string): string {
  return encode(createHash('sha256').update(messageId).digest());
}

/**
 * The reference of an SMS registration: keyed (the CNIC pepper) over the phone and the message id, so
 * a redelivery gets the same reference, two phones' messages with one aggregator id get two, and
 * nobody can compute a reference from a message id they guessed (40 bits, behind the rate limiter).
 */
export function smsReferenceFor(secret: string, phone: string, messageId: string): string {
  return encode(createHmac('sha256', secret).update(`sms-reference#${phone}#${messageId}`).digest());
}
