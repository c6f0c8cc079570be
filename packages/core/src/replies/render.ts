import type { ReasonCode } from '../eligibility/decision.js';
import { formatCnic, normalizeCnic } from '../intake/cnic.js';
import { countSegments } from '../intake/segments.js';
import type { Language } from '../schemas.js';
import { englishTexts } from './en.js';
import {
  DEFAULT_SHORT_CODE,
  type ReplyFacts,
  type ReplyInput,
  type ReplyStatus,
  type ReplyTexts,
} from './types.js';
import { urduTexts } from './ur.js';
import { romanUrduTexts } from './ur-latn.js';

/** A reply may take at most this many SMS parts: cost at 10x the 2020 surge, and old handsets. */
export const MAX_REPLY_SEGMENTS = 2;

/** Longest campaign name a reply carries; a longer one is left out whole, never cut mid-word. */
export const MAX_CAMPAIGN_NAME_IN_REPLY = 40;

export const REPLY_TEXTS: Readonly<Record<Language, ReplyTexts>> = {
  en: englishTexts,
  'ur-Latn': romanUrduTexts,
  ur: urduTexts,
};

/** Statuses whose reply explains the reason in plain words. */
const EXPLAINED: ReadonlySet<ReplyStatus> = new Set([
  'NOT_ELIGIBLE',
  'IDENTITY_MISMATCH',
  'PENDING_VERIFICATION',
]);

/**
 * What to leave out, in order, until the reply fits: the next-step sentence first (the reply already
 * says what happens next), then the campaign name, the reason last.
 */
const DETAIL_LEVELS = [
  { campaign: true, next: true, reason: true },
  { campaign: true, next: false, reason: true },
  { campaign: false, next: false, reason: true },
  { campaign: false, next: false, reason: false },
] as const;
interface DetailLevel {
  readonly campaign: boolean;
  readonly next: boolean;
  readonly reason: boolean;
}
const FULL: DetailLevel = DETAIL_LEVELS[0];
const NAMELESS: DetailLevel = { campaign: false, next: true, reason: true };

/**
 * The campaign's name is left out when that saves a whole SMS part: the household knows which
 * programme it registered for, and repeats (2020: 29 of every 30 SMS) are answered in one part.
 */
function oneSegmentWithoutName(input: ReplyInput, texts: ReplyTexts): string | undefined {
  if (input.appeal !== undefined) return undefined;
  const nameless = compose(input, texts, NAMELESS);
  return countSegments(nameless).segments === 1 ? nameless : undefined;
}

/**
 * Formats whole rupees with thousands separators: `Rs 12,000` in English and Roman Urdu,
 * `12,000 روپے` in Urdu. Digits stay ASCII in Urdu too, as on Pakistani bank SMS.
 */
export function formatAmount(amount: number, lang: Language): string {
  const grouped = Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return REPLY_TEXTS[lang].amount(grouped);
}

/** Free text from staff goes into an SMS: no control or bidi characters; too long, and it is left out whole. */
function clean(value: string | undefined, maxLength: number): string | undefined {
  const text = value
    ?.replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/[<>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === undefined || text === '' || Array.from(text).length > maxLength) return undefined;
  return text;
}

function explainReason(reasons: readonly ReasonCode[], texts: ReplyTexts): string | undefined {
  for (const code of reasons) {
    const phrase = texts.reasons[code];
    if (phrase !== undefined) return phrase;
    if (code.startsWith('EXCLUSION_')) return texts.otherExclusion;
  }
  return undefined;
}

/** The campaign's name in the reply's own script: an Urdu reply never carries a Latin name. */
function campaignNameFor(input: ReplyInput): string | undefined {
  const name = input.lang === 'ur' ? input.campaignNameUr : input.campaignName;
  return clean(name, MAX_CAMPAIGN_NAME_IN_REPLY);
}

function factsOf(input: ReplyInput, level: DetailLevel): ReplyFacts {
  const cnic = input.cnic === undefined ? undefined : normalizeCnic(input.cnic);
  const amount =
    input.amount === undefined || !Number.isFinite(input.amount) || input.amount <= 0
      ? undefined
      : formatAmount(input.amount, input.lang);
  const campaign = level.campaign ? campaignNameFor(input) : undefined;
  // HELP is not about a registration, so it carries no reference (a complaint's reply carries its id).
  const reference =
    input.status === 'HELP' && input.appeal === undefined
      ? undefined
      : clean(input.reference, 24)?.replace(/\s/g, '');
  const shortCode = clean(input.shortCode, 12)?.replace(/\s/g, '') ?? DEFAULT_SHORT_CODE;
  return {
    ...(amount === undefined ? {} : { amount }),
    ...(campaign === undefined ? {} : { campaign }),
    ...(cnic?.ok ? { cnic: formatCnic(cnic.cnic) } : {}),
    ...(reference === undefined ? {} : { reference }),
    shortCode,
    topUp: input.topUp === true,
  };
}

function compose(input: ReplyInput, texts: ReplyTexts, level: DetailLevel): string {
  const facts = factsOf(input, level);
  if (input.appeal !== undefined) return texts.prefix + texts.appeal(input.appeal, facts);
  const outcome = texts.outcome(input.status, input.reasons, facts);
  const reason =
    level.reason && EXPLAINED.has(input.status) ? explainReason(input.reasons, texts) : undefined;
  const money = input.status === 'ELIGIBLE' ? texts.money(input.payment, facts) : undefined;
  const sentences = [
    outcome,
    reason === outcome ? undefined : reason,
    money,
    facts.reference === undefined ? undefined : texts.reference(facts.reference),
    level.next ? texts.next(input.status, input.reasons, facts) : undefined,
  ];
  return texts.prefix + sentences.filter((s) => s !== undefined && s !== '').join(' ');
}

function fits(text: string): boolean {
  return countSegments(text).segments <= MAX_REPLY_SEGMENTS;
}

/**
 * Renders the SMS answer to a household in its language and script: the sender's name, the outcome,
 * the reason in plain words, where the money is, the reference and what to do next with the
 * household's own CNIC. Always fits in two SMS parts: optional details are dropped (the next step
 * first, then the campaign name) when they would not, and the sentences are sized so that with a normal reference and
 * campaign name nothing needs dropping (see the replies tests and docs/replies.md).
 */
export function renderReply(input: ReplyInput): string {
  const texts = REPLY_TEXTS[input.lang];
  const full = compose(input, texts, FULL);
  if (countSegments(full).segments === 1) return full;
  const shorter = oneSegmentWithoutName(input, texts);
  if (shorter !== undefined) return shorter;
  for (const level of DETAIL_LEVELS) {
    const text = compose(input, texts, level);
    if (fits(text)) return text;
  }
  // Unreachable with the shipped texts; kept so a bad translation can never cost a third SMS.
  const words = compose(input, texts, DETAIL_LEVELS[DETAIL_LEVELS.length - 1] ?? FULL).split(' ');
  while (words.length > 1 && !fits(words.join(' '))) words.pop();
  return words.join(' ');
}

/**
 * The answer to a phone not tied to the household whose CNIC it sent: that the message was received
 * and where the answer goes (the household's registered phones, or in person when it has none).
 * Nothing about the household: no outcome, reason, amount or reference.
 */
export function renderForwardedReply(lang: Language, householdHasPhone: boolean): string {
  const texts = REPLY_TEXTS[lang];
  return texts.prefix + (householdHasPhone ? texts.forwarded : texts.askInPerson);
}
