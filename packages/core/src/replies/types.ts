import type { DecisionStatus, ReasonCode } from '../eligibility/decision.js';
import type { Language } from '../schemas.js';

/**
 * What a reply can be about: a decision status, the answer to HELP, or NOT_REGISTERED (the household
 * is in the registry but nobody has registered it for the open campaign yet).
 */
export type ReplyStatus = DecisionStatus | 'HELP' | 'NOT_REGISTERED';

/** Where an eligible household's money is; a notification is the STATUS answer of that moment. */
export type PaymentStage = 'IN_BATCH' | 'APPROVED' | 'SENT' | 'PAID' | 'FAILED' | 'RETRYING';
export const paymentStages = ['IN_BATCH', 'APPROVED', 'SENT', 'PAID', 'FAILED', 'RETRYING'] as const;

/** Where a household's complaint is. */
export type AppealStage = 'RECEIVED' | 'UPHELD' | 'OVERTURNED';
export const appealStages = ['RECEIVED', 'UPHELD', 'OVERTURNED'] as const;

/** The short code households send to, and the one every reply names by default. */
export const DEFAULT_SHORT_CODE = '8171';

/**
 * Everything a reply may say. Only `status`, `reasons` and `lang` are required; each optional fact
 * makes the reply more concrete, never longer than two SMS parts.
 */
export interface ReplyInput {
  readonly status: ReplyStatus;
  readonly reasons: readonly ReasonCode[];
  readonly lang: Language;
  /** The household's own reference for this campaign (or the appeal's id when `appeal` is set). */
  readonly reference?: string;
  /** Whole rupees. */
  readonly amount?: number;
  /** The campaign's name, used in English and Roman Urdu replies. */
  readonly campaignName?: string;
  /** The campaign's Urdu-script name, used in Urdu replies (a Latin name is never put in one). */
  readonly campaignNameUr?: string;
  /** The household's own CNIC (13 digits, any accepted format), for examples such as `STATUS 35202-1234567-1`. */
  readonly cnic?: string;
  /** The amount is added for a household already in a regular programme. */
  readonly topUp?: boolean;
  /** Payment progress of an eligible household. */
  readonly payment?: PaymentStage;
  /** The reply is about a complaint; `reference` is then the appeal's id. */
  readonly appeal?: AppealStage;
  /** Where to send messages; default `8171`. */
  readonly shortCode?: string;
}

/** The facts of one reply, already formatted for its language; `undefined` means unknown or dropped. */
export interface ReplyFacts {
  readonly amount?: string;
  readonly campaign?: string;
  /** The household's CNIC as `35202-1234567-1`. */
  readonly cnic?: string;
  readonly reference?: string;
  readonly shortCode: string;
  readonly topUp: boolean;
}

/**
 * The sentences of one language, each a function of the facts. English and Roman Urdu stay inside
 * GSM-7 (no curly quotes or dashes): 160 characters in one part, 306 in two. Urdu script is UCS-2:
 * 70 code units in one part, 134 in two.
 */
export interface ReplyTexts {
  /** The sender's name, first in every reply: `Madad: ` or `مدد: `. */
  readonly prefix: string;
  readonly amount: (grouped: string) => string;
  readonly reference: (reference: string) => string;
  readonly outcome: (status: ReplyStatus, reasons: readonly ReasonCode[], facts: ReplyFacts) => string;
  /** Plain-words explanation per reason code; codes without an entry are not explained. */
  readonly reasons: Readonly<Partial<Record<string, string>>>;
  /** For exclusion filters added after this table was written. */
  readonly otherExclusion: string;
  /** The eligible household's payment sentence: how, when and where the money comes, per stage. */
  readonly money: (stage: PaymentStage | undefined, facts: ReplyFacts) => string;
  /** What to do next, concrete: the household's own CNIC and the short code. */
  readonly next: (
    status: ReplyStatus,
    reasons: readonly ReasonCode[],
    facts: ReplyFacts,
  ) => string | undefined;
  /** The whole sentence about a complaint (its id in `facts.reference`). */
  readonly appeal: (stage: AppealStage, facts: ReplyFacts) => string;
  /** To a phone not tied to the household: received, and the answer goes to its registered phones. */
  readonly forwarded: string;
  /** To a phone not tied to a household that has no tied phone: where to ask instead. */
  readonly askInPerson: string;
}
