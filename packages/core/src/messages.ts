import type { ReasonCode } from './decision.js';
import {
  englishPhrases,
  type PaymentStage,
  type ReplyPhrases,
  type ReplyStatus,
  urduPhrases,
} from './reply-phrases.js';
import type { Language } from './schemas.js';
import { countSegments } from './segments.js';

export type { PaymentStage, ReplyStatus } from './reply-phrases.js';

/** Everything a reply may say. Only `status`, `reasons` and `lang` are required. */
export interface ReplyInput {
  readonly status: ReplyStatus;
  readonly reasons: readonly ReasonCode[];
  readonly lang: Language;
  readonly reference?: string;
  readonly amount?: number;
  readonly campaignName?: string;
  readonly payment?: PaymentStage;
}

/** A reply may take at most this many SMS parts: cost at 10x the 2020 surge, and old handsets. */
export const MAX_REPLY_SEGMENTS = 2;

const PHRASES: Readonly<Record<Language, ReplyPhrases>> = { en: englishPhrases, ur: urduPhrases };

/** What to leave out, in order, until the reply fits: the campaign name first, the reason last. */
const DETAIL_LEVELS = [
  { campaign: true, next: true, payment: true, reason: true },
  { campaign: false, next: true, payment: true, reason: true },
  { campaign: false, next: false, payment: true, reason: true },
  { campaign: false, next: false, payment: false, reason: true },
  { campaign: false, next: false, payment: false, reason: false },
] as const;
type DetailLevel = (typeof DETAIL_LEVELS)[number];

/**
 * Formats whole rupees with thousands separators: `Rs 12,000` in English, `12,000 روپے` in Urdu.
 * Digits stay ASCII in Urdu too, as on Pakistani bank SMS.
 */
export function formatAmount(amount: number, lang: Language): string {
  const grouped = Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return PHRASES[lang].amount(grouped);
}

/** Free text from staff goes into an SMS: no control or bidi characters, no runaway length. */
function clean(value: string | undefined, maxLength: number): string | undefined {
  const text = value
    ?.replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text === undefined || text === '' ? undefined : Array.from(text).slice(0, maxLength).join('');
}

function explainReason(reasons: readonly ReasonCode[], phrases: ReplyPhrases): string | undefined {
  for (const code of reasons) {
    const phrase = phrases.reasons[code];
    if (phrase !== undefined) return phrase;
    if (code.startsWith('EXCLUSION_')) return phrases.otherExclusion;
  }
  return undefined;
}

function compose(input: ReplyInput, phrases: ReplyPhrases, level: DetailLevel): string {
  const amount =
    input.amount === undefined || !Number.isFinite(input.amount)
      ? undefined
      : formatAmount(input.amount, input.lang);
  const campaign = level.campaign ? clean(input.campaignName, 40) : undefined;
  // HELP is not about a registration, so it carries no reference either.
  const reference = input.status === 'HELP' ? undefined : clean(input.reference, 24);
  const outcome = phrases.outcome(input.status, { amount, campaign });
  // HELP answers a question; a reason code there would only confuse.
  const reason = level.reason && input.status !== 'HELP' ? explainReason(input.reasons, phrases) : undefined;
  // Payment progress only means something to a household that was found eligible.
  const showPayment = level.payment && input.status === 'ELIGIBLE' && input.payment !== undefined;
  const payment = showPayment && input.payment !== undefined ? phrases.payment[input.payment] : undefined;
  const sentences = [
    outcome,
    reason === outcome ? undefined : reason,
    payment,
    reference === undefined ? undefined : phrases.reference(reference),
    level.next ? phrases.next[input.status] : undefined,
  ];
  return phrases.prefix + sentences.filter((s) => s !== undefined).join(' ');
}

function fits(text: string): boolean {
  return countSegments(text).segments <= MAX_REPLY_SEGMENTS;
}

/**
 * Renders the SMS answer to a household: the outcome, the reason in plain words, the reference and
 * what to do next, in English or Urdu script. Always fits in two SMS parts: optional details are
 * dropped (campaign name first) when they would not, and the sentences themselves are sized so that
 * with a normal reference nothing needs dropping (see the messages test).
 */
export function renderReply(input: ReplyInput): string {
  const phrases = PHRASES[input.lang];
  for (const level of DETAIL_LEVELS) {
    const text = compose(input, phrases, level);
    if (fits(text)) return text;
  }
  // Unreachable with the shipped phrases; kept so a bad translation can never cost a third SMS.
  const chars = Array.from(
    compose(input, phrases, DETAIL_LEVELS[DETAIL_LEVELS.length - 1] ?? DETAIL_LEVELS[0]),
  );
  while (chars.length > 0 && !fits(chars.join(''))) chars.pop();
  return chars.join('');
}

/**
 * The answer to a phone not tied to the household whose CNIC it sent: that the message was received
 * and where the answer goes (the household's registered phones, or in person when it has none).
 * Nothing about the household: no outcome, reason, amount or reference.
 */
export function renderForwardedReply(lang: Language, householdHasPhone: boolean): string {
  const phrases = PHRASES[lang];
  return phrases.prefix + (householdHasPhone ? phrases.forwarded : phrases.askInPerson);
}
