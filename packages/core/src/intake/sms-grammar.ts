import type { Language } from '../schemas.js';
import { isCnicSeparator, normalizeCnic } from './cnic.js';
import { removeInvisibles, toAsciiDigits } from './digits.js';

export type InvalidSmsReason = 'INVALID_CNIC' | 'UNRECOGNISED_MESSAGE' | 'EMPTY' | 'TOO_LONG';
export type SmsCommand =
  | { kind: 'register'; cnic: string; lang: Language }
  | { kind: 'status'; cnic: string; lang: Language }
  | { kind: 'appeal'; cnic: string; note: string; lang: Language }
  /** `topic: 'status'`: STATUS sent without a CNIC; the answer says how to ask, with an example. */
  | { kind: 'help'; lang: Language; topic?: 'status' }
  | { kind: 'invalid'; reason: InvalidSmsReason; lang: Language };

/** Longest body we parse: three concatenated GSM-7 parts plus slack; longer is not a registration. */
export const MAX_SMS_LENGTH = 480;
export const MAX_APPEAL_NOTE_LENGTH = 500;

/** Harakat, superscript alef and tatweel: optional marks that must not break keyword matching. */
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const NOISE_AT_START = /^[\s\p{P}\p{S}\p{M}]+/u;
/**
 * Keywords, longest first within a group. `madad` is help alone and register with a CNIC. The
 * lookahead stops "registered" matching "reg", yet lets "REG3520..." (no space) through.
 */
const KEYWORD = new RegExp(
  '^(?:(?<register>registration|register|reg|cnic|رجسٹریشن|رجسٹر)|(?<status>status|haalat|halat|حالت)|' +
    '(?<appeal>appeal|shikayat|شکایت)|(?<help>help)|(?<madad>madad|مدد))(?![\\p{L}\\p{M}])',
  'iu',
);

/** Any Arabic-script character: letters, Urdu and Arabic-Indic digits, the Urdu question mark. */
const ARABIC_SCRIPT = /\p{Script_Extensions=Arabic}/u;
const WORD = /\p{Script=Latin}+/gu;
const LETTER = /\p{L}/u;
/**
 * Words of Roman Urdu that are not English words: the keywords (madad, halat, shikayat), greetings
 * and the everyday words of a request ("mujhe madad chahiye", "hamara ghar pani mein doob gaya").
 */
const ROMAN_URDU_WORDS = new Set(
  (
    'madad halat haalat shikayat shikayet imdad imdaad assalam asalam assalamualaikum salam alaikum aleikum ' +
    'walaikum mujhe mujhay muje chahiye chahie chaiye chahye hamara hamari hamare humara mera meri mere ' +
    'ghar gher pani paani mein mai hai hain hy kab kya kia kyun kaise kese nahi nahin nai aap ap apna apni ' +
    'paisay paise paisa raqam rakam milain milenge milega mila milay karo karein kren kar do dein den ' +
    'bhai bhi sahab sahib janab jee ji shukriya meherbani barah baraye barae doob gaya gayi hua hogaya ' +
    'sailab selab zalzala ka ki ke ko se wala wali bohat bahut'
  ).split(' '),
);
/** English keywords: a message led by one of them is answered in English. */
const ENGLISH_KEYWORD = /^(?:registration|register|reg|status|appeal|help|cnic)$/i;

/**
 * Which language and script to answer in (docs/replies.md): Urdu script for a message with any
 * Arabic-script letter or Urdu digit; Roman Urdu for a message with a Roman Urdu word, and for
 * digits alone; English for English keywords and any other Latin text.
 */
export function detectLanguage(text: string): Language {
  // What a reply can be based on is the parsed part; a huge body costs no more than that.
  const sample = text.slice(0, MAX_SMS_LENGTH);
  if (ARABIC_SCRIPT.test(sample)) return 'ur';
  const words = (zerosForLetterO(sample.normalize('NFKC')).match(WORD) ?? []).map((w) => w.toLowerCase());
  if (words.some((w) => ROMAN_URDU_WORDS.has(w))) return 'ur-Latn';
  if (words.some((w) => ENGLISH_KEYWORD.test(w))) return 'en';
  return words.length > 0 ? 'en' : 'ur-Latn';
}

/**
 * The letter O typed for a zero inside a number (`352O2-1234567-1`): in a run of digits, O's and
 * dashes that holds a digit and touches no other letter, every O is read as 0 (`NO`, `GO`, `1OOPS`
 * and a lone `o` stay words). Linear: one pass over the runs.
 */
function zerosForLetterO(text: string): string {
  return text.replace(/[0-9Oo-]+/g, (run: string, offset: number) => {
    if (!/[0-9]/.test(run) || !/[Oo]/.test(run)) return run;
    const touchesLetter = LETTER.test(text[offset - 1] ?? '') || LETTER.test(text[offset + run.length] ?? '');
    return touchesLetter ? run : run.replace(/[Oo]/g, '0');
  });
}

/**
 * Folds what handsets vary on so one pattern matches: compatibility forms (fullwidth Latin,
 * Arabic presentation forms), invisible marks, foreign digits, and Arabic kaf/yeh typed instead of
 * the Urdu letters.
 */
function prepare(text: string): string {
  return zerosForLetterO(toAsciiDigits(removeInvisibles(text.normalize('NFKC'))))
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
  // Any number, short or long, was meant as a CNIC: the answer shows the 13-digit form.
  return invalid(/^[0-9]/.test(body) ? 'INVALID_CNIC' : 'UNRECOGNISED_MESSAGE', lang);
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
  // STATUS alone (or with words but no number): how to ask, with an example.
  if (groups.status !== undefined && !/[0-9]/.test(rest)) return { kind: 'help', lang, topic: 'status' };
  const read = readCnic(rest);
  if (!read.ok) return invalid('INVALID_CNIC', lang);
  if (groups.appeal !== undefined) {
    return { kind: 'appeal', cnic: read.cnic, note: limitNote(read.remainder), lang };
  }
  // Extra words after the CNIC are tolerated; extra digits make the intended CNIC ambiguous.
  if (/[0-9]/.test(read.remainder)) return invalid('INVALID_CNIC', lang);
  return { kind: groups.status !== undefined ? 'status' : 'register', cnic: read.cnic, lang };
}
