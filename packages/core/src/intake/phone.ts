import { removeInvisibles, toAsciiDigits } from './digits.js';

export type PhoneError = 'EMPTY' | 'NOT_A_NUMBER' | 'WRONG_LENGTH';
export type PhoneResult = { ok: true; phone: string } | { ok: false; error: PhoneError };

const SEPARATORS = /[\s.\-()\u2010-\u2015\u2212]/gu;
/** A Pakistani mobile number without country code or trunk zero: 3xx followed by 7 digits. */
const PK_MOBILE = /^3[0-9]{9}$/;

function fail(error: PhoneError): PhoneResult {
  return { ok: false, error };
}

function international(digits: string): PhoneResult {
  if (digits.startsWith('92')) {
    // "+92 (0)300 ..." is common on business cards; the trunk zero never belongs after the country code.
    const national = digits.slice(2).replace(/^0/, '');
    // Pakistani numbers never start with 0 once the trunk zero is gone; a second zero is a typo.
    if (national.startsWith('0')) return fail('NOT_A_NUMBER');
    if (national.startsWith('3')) {
      return PK_MOBILE.test(national) ? { ok: true, phone: `+92${national}` } : fail('WRONG_LENGTH');
    }
    return anyCountry(`92${national}`);
  }
  return anyCountry(digits);
}

function anyCountry(digits: string): PhoneResult {
  // Country codes never start with 0; E.164 allows at most 15 digits, and 8 excludes short codes.
  if (digits.startsWith('0')) return fail('NOT_A_NUMBER');
  if (digits.length < 8 || digits.length > 15) return fail('WRONG_LENGTH');
  return { ok: true, phone: `+${digits}` };
}

/**
 * Normalizes a phone number to E.164. Pakistani mobiles are accepted in every local form
 * (`03001234567`, `3001234567`, `923001234567`, `+92 300 1234567`, `0092-300-1234567`, Urdu digits);
 * other countries only with `+` or `00`, because a bare number is read as Pakistani. Short codes are
 * not phones. Never throws.
 */
export function normalizePhone(input: string): PhoneResult {
  const compact = toAsciiDigits(removeInvisibles(input)).replace(SEPARATORS, '');
  if (compact === '') return fail('EMPTY');
  const plus = compact.startsWith('+');
  const digits = plus ? compact.slice(1) : compact;
  if (!/^[0-9]+$/.test(digits)) return fail('NOT_A_NUMBER');
  if (plus) return international(digits);
  if (digits.startsWith('00')) return international(digits.slice(2));
  if (digits.startsWith('92') && digits.length > 10) return international(digits);
  const national = digits.replace(/^0/, '');
  return PK_MOBILE.test(national) ? { ok: true, phone: `+92${national}` } : fail('WRONG_LENGTH');
}

/**
 * Masks an E.164 number for logs: `+92300****567`. Keeps the country and operator prefix (useful
 * when debugging delivery) and the last three digits. Never throws; anything else has every digit masked.
 */
export function maskPhone(e164: string): string {
  if (!/^\+[0-9]{8,15}$/.test(e164)) return e164.replace(/\p{Nd}/gu, '*');
  const head = Math.max(2, Math.min(6, e164.length - 7));
  const tail = 3;
  return `${e164.slice(0, head)}${'*'.repeat(e164.length - head - tail)}${e164.slice(-tail)}`;
}
