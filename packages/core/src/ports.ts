import type { Campaign } from './campaigns/campaign.js';
import type { CampaignLimits } from './campaigns/cap-shards.js';
import type { CapState } from './campaigns/ports.js';
import type { Decision } from './eligibility/decision.js';
import type { HouseholdAnswers, Language, OutboundSms } from './schemas.js';

/** What the registry knows about one person, resolved through the CNIC index in one round trip. */
export interface PersonMatch {
  readonly cnicHash: string;
  readonly householdId: string;
  readonly relation: string;
}

export interface IdentityRecord {
  readonly cnicHash: string;
  readonly status: 'ALIVE' | 'DECEASED' | 'BLOCKED';
  readonly gender?: 'male' | 'female';
  readonly birthYear?: number;
  readonly simPhones: readonly string[];
}

export interface HouseholdMember {
  readonly cnicHash: string;
  readonly relation: string;
  readonly gender: 'male' | 'female';
  readonly exclusions: readonly string[];
}

export interface HouseholdRecord {
  readonly householdId: string;
  readonly province: string;
  readonly district: string;
  readonly tehsil: string;
  readonly pmtScore: number;
  readonly programmes: readonly string[];
  readonly members: readonly HouseholdMember[];
  readonly phones?: readonly string[];
  readonly status: 'active' | 'provisional';
}

export interface RegistryMatch {
  /** Exclusion filters flagged on the applicant's own CNIC (known even when not in the registry). */
  readonly exclusions: readonly string[];
  readonly person?: PersonMatch;
  readonly identity?: IdentityRecord;
  readonly household?: HouseholdRecord;
  /**
   * The person's decisions of record, one per campaign (`DEC#<campaignId>` items in the person's
   * registry partition), read with the rest of the partition in the same request.
   */
  readonly decisionsOfRecord?: readonly DecisionOfRecord[];
}

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

/** Resolves many CNICs at once, members' exclusion flags included (BatchGetItem underneath): never one call per registration. */
export interface RegistryLookup {
  resolve(cnicHashes: readonly string[]): Promise<Map<string, RegistryMatch>>;
  /** Records someone the registry did not know as a provisional household (idempotent per CNIC). */
  addProvisional(input: ProvisionalHousehold): Promise<void>;
}

export interface ProvisionalHousehold {
  readonly cnic: string;
  readonly cnicHash: string;
  /** A phone tied to the person (the registrant's, or their SIM when someone else registered them); may be empty. */
  readonly phone: string;
  readonly registeredAt: string;
  readonly district?: string;
  readonly tehsil?: string;
  readonly answers?: HouseholdAnswers;
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

/** A phone's recent messages, newest first, as its registration records hold them. */
export interface RecentMessage {
  readonly messageId: string;
  readonly receivedAt: string;
  readonly cnicHash?: string;
}

/** What each phone sent lately (one Query per phone): for the hourly tally and the CNICs it sent. */
export interface PhoneHistory {
  recent(phones: readonly string[], limit: number): Promise<Map<string, readonly RecentMessage[]>>;
  /** Adds `count` messages to the phone's counter for the hour (atomically); returns the new total. */
  countMessages(phone: string, hour: string, count: number): Promise<number>;
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

/** The one enrollment a household may have in a campaign. */
export interface Enrollment {
  readonly campaignId: string;
  readonly householdId: string;
  readonly messageId: string;
  readonly reference: string;
  readonly cnicHash: string;
  readonly category: 'TOP_UP' | 'NEW_BENEFICIARY';
  readonly amount: number;
  readonly district: string;
  readonly tehsil: string;
  readonly ruleSetVersion: string;
  readonly channel: 'sms' | 'web' | 'vertical';
  /** When it was decided: also its place on the waitlist (oldest promoted first). */
  readonly enrolledAt: string;
  /** Against the campaign's caps (absent: made before caps held, counted as enrolled). */
  readonly capState?: CapState;
  /** The cap shard the household reserves on first. */
  readonly capShard?: number;
  /** Names the reservation (`holderOf`; a promotion's is `<messageId>@promote-r<revision>`). */
  readonly claimId?: string;
  /** Where to tell the household if it is promoted from the waitlist. */
  readonly notify?: { readonly phone: string; readonly lang: Language };
}

/**
 * `created`: this call made (or finished) the enrollment, `waitlisted` when no cap had room for it;
 * otherwise the enrollment already there (another member's, or this message's settled one).
 */
export type EnrollResult =
  | { readonly created: true; readonly waitlisted?: boolean }
  | { readonly created: false; readonly existing: Enrollment };

export interface EnrollmentStore {
  /** Existing enrollments for (campaign, household) pairs, read in one batch. */
  find(pairs: readonly { campaignId: string; householdId: string }[]): Promise<Map<string, Enrollment>>;
  /**
   * Conditional create: at most one enrollment per household per campaign, whatever the concurrency,
   * and never past the campaign's household maximum or budget (`enrollWithinCaps`): past either, the
   * enrollment is made `waitlisted`, invisible to payment batches.
   */
  enroll(enrollment: Enrollment, limits: CampaignLimits): Promise<EnrollResult>;
  /**
   * Withdraws an enrollment a rules replay no longer supports, unless it is already in a payment
   * batch (then staff decide); returns whether it was withdrawn.
   */
  revoke?(campaignId: string, householdId: string, messageId: string, at: string): Promise<boolean>;
}

export function enrollmentKey(campaignId: string, householdId: string): string {
  return `${campaignId}|${householdId}`;
}

export interface CampaignDirectory {
  /** Active campaigns and closed ones that may still answer CAMPAIGN_CLOSED (cached briefly). */
  inForce(now: Date): Promise<Campaign[]>;
}

/** Aggregated counters, written once per batch into sharded items (no hot key). */
export interface StatsSink {
  add(campaignId: string, counters: Readonly<Record<string, number>>): Promise<void>;
}

export interface ReplyQueue {
  enqueue(replies: readonly OutboundSms[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
