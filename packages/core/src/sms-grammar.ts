import { isCnicSeparator, looksLikeCnic, normalizeCnic } from './cnic.js';
import { removeInvisibles, toAsciiDigits } from './digits.js';
import type { Language } from './schemas.js';

export type InvalidSmsReason = 'INVALID_CNIC' | 'UNRECOGNISED_MESSAGE' | 'EMPTY' | 'TOO_LONG';
export type SmsCommand =
  | { kind: 'register'; cnic: string; lang: Language }
  | { kind: 'status'; cnic: string; lang: Language }
  | { kind: 'appeal'; cnic: string; note: string; lang: Language }
  | { kind: 'help'; lang: Language }
  | { kind: 'invalid'; reason: InvalidSmsReason; lang: Language };

/** Longest body we parse: three concatenated GSM-7 parts plus slack; longer is not a registration. */
export const MAX_SMS_LENGTH = 480;
export const MAX_APPEAL_NOTE_LENGTH = 500;

const ARABIC_LETTER = /(?=\p{Script=Arabic})\p{L}/u;
/** Harakat, superscript alef and tatweel: optional marks that must not break keyword matching. */
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const NOISE_AT_START = /^[\s\p{P}\p{S}\p{M}]+/u;
/**
 * Keywords, longest first within a group. `madad` is help alone and register with a CNIC. The
 * lookahead stops "registered" matching "reg", yet lets "REG3520..." (no space) through.
 */
const KEYWORD = new RegExp(
  '^(?:(?<register>registration|register|reg|رجسٹریشن|رجسٹر)|(?<status>status|haalat|halat|حالت)|' +
    '(?<appeal>appeal|shikayat|شکایت)|(?<help>help)|(?<madad>madad|مدد))(?![\\p{L}\\p{M}])',
  'iu',
);

/** 'ur' when the text contains any Arabic-script letter (digits alone do not count), else 'en'. */
export function detectLanguage(text: string): Language {
  return ARABIC_LETTER.test(text) ? 'ur' : 'en';
}

/**
 * Folds what handsets vary on so one pattern matches: compatibility forms (fullwidth Latin,
 * Arabic presentation forms), invisible marks, foreign digits, and Arabic kaf/yeh typed instead of
 * the Urdu letters.
 */
function prepare(text: string): string {
  return toAsciiDigits(removeInvisibles(text.normalize('NFKC')))
    .replace(ARABIC_MARKS, '')
    .replace(/\u0643/g, '\u06a9')
    .replace(/[\u064a\u0649]/g, '\u06cc')
    .trim();
}

/** Splits the leading CNIC-shaped run (digits and separators, at most 13 digits) from the rest. */
function splitLeadingCnic(text: string): { candidate: string; remainder: string } {
  let digits = 0;
  let end = 0;
  for (const ch of text) {
    if (digits === 13) break;
    if (ch >= '0' && ch <= '9') digits += 1;
    else if (!isCnicSeparator(ch)) break;
    end += ch.length;
  }
  return { candidate: text.slice(0, end), remainder: text.slice(end) };
}

type Cnic = { ok: true; cnic: string; remainder: string } | { ok: false };

/** Reads the CNIC at the start of `text`; a digit right after 13 digits means the number is too long. */
function readCnic(text: string): Cnic {
  const { candidate, remainder } = splitLeadingCnic(text);
  const result = normalizeCnic(candidate);
  if (!result.ok || /^[0-9]/.test(remainder)) return { ok: false };
  return { ok: true, cnic: result.cnic, remainder };
}

function limitNote(note: string): string {
  const codePoints = Array.from(note.replace(NOISE_AT_START, '').trim());
  return codePoints.slice(0, MAX_APPEAL_NOTE_LENGTH).join('').trim();
}

function invalid(reason: InvalidSmsReason, lang: Language): SmsCommand {
  return { kind: 'invalid', reason, lang };
}

function parseBare(body: string, lang: Language): SmsCommand {
  const read = readCnic(body);
  if (read.ok && !/[0-9]/.test(read.remainder)) return { kind: 'register', cnic: read.cnic, lang };
  const leadingNumber = /^[0-9\s.\-\u2010-\u2015\u2212]+/u.exec(body)?.[0] ?? '';
  return invalid(looksLikeCnic(leadingNumber) ? 'INVALID_CNIC' : 'UNRECOGNISED_MESSAGE', lang);
}

/**
 * Parses an inbound SMS body into a command. Case-, whitespace- and punctuation-tolerant; accepts
 * English, Roman Urdu and Urdu-script keywords and CNICs in any accepted format. Never throws.
 */
export function parseSms(text: string): SmsCommand {
  const lang = detectLanguage(text);
  const trimmed = text.trim();
  // Checked before any normalization so a huge body costs nothing more than this comparison.
  if (trimmed.length > MAX_SMS_LENGTH) return invalid('TOO_LONG', lang);
  const prepared = prepare(trimmed);
  if (prepared === '') return invalid('EMPTY', lang);
  if (/^[?\u061f]+$/.test(prepared)) return { kind: 'help', lang };
  const body = prepared.replace(NOISE_AT_START, '');
  const match = KEYWORD.exec(body);
  const groups = match?.groups;
  if (match === null || groups === undefined) return parseBare(body, lang);
  const rest = body.slice(match[0].length).replace(NOISE_AT_START, '');
  if (groups.help !== undefined) return { kind: 'help', lang };
  if (groups.madad !== undefined && !/[0-9]/.test(rest)) return { kind: 'help', lang };
  const read = readCnic(rest);
  if (!read.ok) return invalid('INVALID_CNIC', lang);
  if (groups.appeal !== undefined) {
    return { kind: 'appeal', cnic: read.cnic, note: limitNote(read.remainder), lang };
  }
  // Extra words after the CNIC are tolerated; extra digits make the intended CNIC ambiguous.
  if (/[0-9]/.test(read.remainder)) return invalid('INVALID_CNIC', lang);
  return { kind: groups.status !== undefined ? 'status' : 'register', cnic: read.cnic, lang };
}
