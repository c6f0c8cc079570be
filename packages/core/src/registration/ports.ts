import type { Decision } from '../eligibility/decision.js';
import type { Language, OutboundSms } from '../schemas.js';

/**
 * A person's standing decision under one campaign: written with their first registration (and
 * replaced by replays and appeals), so repeats are answered from it without writing it again.
 */
export interface DecisionOfRecord {
  /** The campaign, or `-` for a decision taken outside any campaign. */
  readonly campaignId: string;
  readonly cnicHash: string;
  readonly messageId: string;
  readonly reference: string;
  /**
   * The phone the household's notices go to (replays, appeals; STATUS on the web is shown only to it):
   * the deciding message's phone when it is tied to the household, else the household's first tied
   * phone, empty when it has none. Never a stranger's phone.
   */
  readonly from: string;
  readonly channel: 'sms' | 'web';
  readonly lang: Language;
  readonly decision: Decision;
}

export interface RegistrationRecord {
  readonly messageId: string;
  readonly channel: 'sms' | 'web';
  readonly from: string;
  readonly receivedAt: string;
  readonly acceptedAt: string;
  readonly command: string;
  readonly cnicHash?: string;
  readonly lang: Language;
  readonly reference: string;
  readonly decision?: Decision;
  /**
   * The reply as queued, so a redelivery after a crash can queue the very same reply again. Absent
   * for a flooding phone past its hourly allowance: those messages are recorded, not answered.
   */
  readonly reply?: OutboundSms;
  /** The outcome sent to the household's tied phone when the message came from another phone. */
  readonly notice?: OutboundSms;
  /** The phone is tied to the household: only then does the reference reveal the outcome. */
  readonly tied?: boolean;
  /** Listed in the staff review queue (the first flagged decision of a person, a phone's flood notice). */
  readonly forReview?: boolean;
}

export interface StoredDecision {
  readonly messageId: string;
  readonly reference: string;
  readonly decision: Decision;
}

export type RecordResult =
  | { readonly fresh: true }
  | { readonly fresh: false; readonly existing: RegistrationRecord };

/** Registrations and their decisions; the write is conditional, so a redelivery never records twice. */
export interface RegistrationStore {
  /** Records the registration unless one exists for the message id, which is then returned. */
  record(registration: RegistrationRecord): Promise<RecordResult>;
}

/** What a phone's tally held before a batch added its messages. */
export interface PhoneTallyBefore {
  /** Messages counted per hour of receipt (`YYYY-MM-DDTHH`), for the hours the batch counted in. */
  readonly hours: Readonly<Record<string, number>>;
  /** The CNICs the phone registered (stops growing far past any `cnicsPerPhone`). */
  readonly cnics: readonly string[];
}

/** What each phone sent: one atomic tally per phone, for the hourly allowance and `cnicsPerPhone`. */
export interface PhoneHistory {
  /**
   * Adds a batch's messages of one phone (a count per hour of receipt) and the CNICs they register to
   * the phone's tally, atomically, in one write; returns what the tally held before.
   */
  tally(
    phone: string,
    hours: Readonly<Record<string, number>>,
    cnics: readonly string[],
  ): Promise<PhoneTallyBefore>;
}

/** People's decisions of record (in the registry, beside the person): written once, read with the person. */
export interface DecisionRecordStore {
  /**
   * Writes the person's standing decision under its campaign. An ELIGIBLE decision of record is
   * never overwritten here (only by a rules replay or staff): a concurrent repeat cannot demote it.
   */
  put(record: DecisionOfRecord): Promise<void>;
  /** The person's most recent decision of record, for STATUS, appeals and the web status page. */
  latest(cnicHash: string): Promise<DecisionOfRecord | undefined>;
}

/** Aggregated counters, written once per batch into sharded items (no hot key). */
export interface StatsSink {
  add(campaignId: string, counters: Readonly<Record<string, number>>): Promise<void>;
}

export interface ReplyQueue {
  enqueue(replies: readonly OutboundSms[]): Promise<void>;
}
