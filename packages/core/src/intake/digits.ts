/**
 * Zero digits of the digit blocks households actually type: Arabic-Indic (Arabic keyboards),
 * Extended Arabic-Indic (Urdu keyboards) and fullwidth (some Asian handsets).
 */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0xff10] as const;
const FOREIGN_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g;
const ASCII_ZERO = 0x30;

/**
 * Maps Urdu (U+06F0-06F9), Arabic-Indic (U+0660-0669) and fullwidth digits to ASCII 0-9 and leaves
 * every other character untouched. Each mapped digit is one UTF-16 unit either way, so offsets hold.
 */
export function toAsciiDigits(s: string): string {
  return s.replace(FOREIGN_DIGIT, (digit) => {
    const code = digit.charCodeAt(0);
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9) ?? code;
    return String.fromCharCode(ASCII_ZERO + code - zero);
  });
}

/**
 * Removes invisible format characters (bidi marks, zero-width joiners, BOM, Arabic letter mark).
 * Phones insert them around numbers in right-to-left text, and they would otherwise make a clean
 * CNIC look like "not digits".
 */
export function removeInvisibles(s: string): string {
  return s.replace(/\p{Cf}/gu, '');
}
