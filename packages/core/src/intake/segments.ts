/** GSM 03.38 basic character set (the escape code 0x1B left out): one septet each. */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38 extension table: escape plus the character, so two septets each. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  readonly encoding: SmsEncoding;
  /** How many SMS parts the text is billed and delivered as. */
  readonly segments: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly units: number;
}

const LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

function gsm7Lengths(text: string): number[] | undefined {
  const lengths: number[] = [];
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) lengths.push(1);
    else if (GSM7_EXTENSION.has(ch)) lengths.push(2);
    else return undefined;
  }
  return lengths;
}

/**
 * Counts the SMS parts a text needs. GSM-7 when every character is in the GSM 03.38 basic or
 * extension table (160 septets, or 153 per part once concatenated), otherwise UCS-2 (70 code units,
 * or 67 per part). Parts are packed the way handsets do: an escape pair or a surrogate pair is never
 * split across two parts, so a few texts need one part more than units / 153 suggests. An empty text
 * still occupies one SMS.
 */
export function countSegments(text: string): SegmentCount {
  const gsm = gsm7Lengths(text);
  const encoding: SmsEncoding = gsm === undefined ? 'UCS-2' : 'GSM-7';
  const lengths = gsm ?? Array.from(text, (ch) => ch.length);
  const units = lengths.reduce((sum, n) => sum + n, 0);
  const limit = LIMITS[encoding];
  if (units <= limit.single) return { encoding, segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const length of lengths) {
    if (used + length > limit.part) {
      segments += 1;
      used = 0;
    }
    used += length;
  }
  return { encoding, segments, units };
}
