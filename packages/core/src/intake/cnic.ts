import { removeInvisibles, toAsciiDigits } from './digits.js';

/** Why a string is not a CNIC. */
export type CnicError = 'EMPTY' | 'NOT_DIGITS' | 'WRONG_LENGTH' | 'INVALID_PROVINCE';
export type CnicResult = { ok: true; cnic: string } | { ok: false; error: CnicError };
export type CnicGender = 'male' | 'female';

/** Spaces, dots and every dash a handset keyboard offers (hyphen, en/em dash, minus, fullwidth). */
const SEPARATOR_CLASS = '[\\s.\\-\\u2010-\\u2015\\u2212\\ufe58\\ufe63\\uff0d\\uff0e]';
const SEPARATORS = new RegExp(SEPARATOR_CLASS, 'gu');
const ONE_SEPARATOR = new RegExp(`^${SEPARATOR_CLASS}$`, 'u');
/** Province codes 1-7 (KP, FATA, Punjab, Sindh, Balochistan, ICT, GB); 0, 8 and 9 are never issued. */
const NORMALIZED_CNIC = /^[1-7][0-9]{12}$/;

function compact(input: string): string {
  return toAsciiDigits(removeInvisibles(input)).replace(SEPARATORS, '');
}

/** True for a single character people put between CNIC groups. */
export function isCnicSeparator(ch: string): boolean {
  return ONE_SEPARATOR.test(ch);
}

/**
 * Normalizes a CNIC typed any way (dashes, spaces, dots, Urdu or Arabic-Indic digits) to its 13 ASCII
 * digits. Never throws; the error says what to tell the sender.
 */
export function normalizeCnic(input: string): CnicResult {
  const digits = compact(input);
  if (digits === '') return { ok: false, error: 'EMPTY' };
  if (!/^[0-9]+$/.test(digits)) return { ok: false, error: 'NOT_DIGITS' };
  if (digits.length !== 13) return { ok: false, error: 'WRONG_LENGTH' };
  if (!NORMALIZED_CNIC.test(digits)) return { ok: false, error: 'INVALID_PROVINCE' };
  return { ok: true, cnic: digits };
}

/** True when `value` is already a normalized CNIC (13 ASCII digits, province 1-7). */
export function isNormalizedCnic(value: string): boolean {
  return NORMALIZED_CNIC.test(value);
}

function requireNormalized(cnic: string, caller: string): void {
  // A caller passing raw input here has skipped validation; failing loudly beats a wrong payment file.
  if (!isNormalizedCnic(cnic)) throw new RangeError(`${caller} expects a normalized CNIC`);
}

/** Formats a normalized CNIC the way it is printed on the card: `35202-1234567-1`. */
export function formatCnic(cnic: string): string {
  requireNormalized(cnic, 'formatCnic');
  return `${cnic.slice(0, 5)}-${cnic.slice(5, 12)}-${cnic.slice(12)}`;
}

/**
 * Masks a CNIC for logs and screens: `35***-*******-1`. Accepts any string and never throws,
 * because it runs inside loggers; anything that is not a CNIC has all its digits masked.
 */
export function maskCnic(cnic: string): string {
  const result = normalizeCnic(cnic);
  if (!result.ok) return cnic.replace(/\p{Nd}/gu, '*');
  return `${result.cnic.slice(0, 2)}***-*******-${result.cnic.slice(12)}`;
}

/** Gender encoded in a normalized CNIC: the last digit is odd for men and even for women. */
export function cnicGender(cnic: string): CnicGender {
  requireNormalized(cnic, 'cnicGender');
  return Number(cnic.slice(12)) % 2 === 1 ? 'male' : 'female';
}

/**
 * True when a token is a number the sender probably meant as a CNIC (only digits and separators,
 * 11 to 15 digits: one or two keys off), so the reply can say "check your CNIC" rather than
 * "we did not understand".
 */
export function looksLikeCnic(token: string): boolean {
  return /^[0-9]{11,15}$/.test(compact(token));
}
