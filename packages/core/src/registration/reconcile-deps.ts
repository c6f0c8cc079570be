import type { AppealStore } from '../appeals/appeals.js';
import type { Campaign } from '../campaigns/campaign.js';
import type { CampaignDirectory, EnrollmentStore } from '../campaigns/enrollment-ports.js';
import type { RegistryLookup, RegistryMatch } from '../registry/registry-ports.js';
import type { MemberSimLookup } from '../replies/household-phones.js';
import type { OutboundSms } from '../schemas.js';
import type { Clock } from '../time/clock.js';
import type { CnicPhones } from './phones-per-cnic.js';
import type { DecisionRecordStore, PhoneHistory, RegistrationStore, ReplyQueue } from './ports.js';
import type { ReferenceEntry, ReferenceIndex } from './reference-index.js';
import type { StatsBatch } from './stats-batch.js';

/** The ports a registration is reconciled through (`reconcileBatch`, `reconcileOne`). */
export interface ReconcileDeps {
  readonly appeals: AppealStore;
  readonly registry: RegistryLookup;
  readonly registrations: RegistrationStore;
  readonly decisions: DecisionRecordStore;
  readonly phones: PhoneHistory;
  readonly enrollments: EnrollmentStore;
  readonly campaigns: CampaignDirectory;
  readonly replies: ReplyQueue;
  readonly clock: Clock;
  readonly pepper: string;
  /** Members' SIMs, read only when a phone is not tied by the applicant's own partition. */
  readonly members?: MemberSimLookup;
  /** Messages one phone may send in an hour before it is rate-limited and no longer answered. */
  readonly messagesPerPhoneHour?: number;
  /** The phones each CNIC registered from, for the campaign's `phonesPerCnic` (absent: not limited). */
  readonly cnicPhones?: CnicPhones;
  /** Whose each reference sent is, for the status page and the reference route. */
  readonly references: ReferenceIndex;
}

export const DEFAULT_MESSAGES_PER_PHONE_HOUR = 30;
/** What a whole batch needs, read up front: one Query per person and one per phone, concurrently. */
export interface BatchContext {
  readonly matches: Map<string, RegistryMatch>;
  /**
   * People whose decisions of record were read only under the campaigns in force (and `-`): enough
   * to decide a registration; STATUS and appeals read every one (`prepareBatch`).
   */
  readonly partial: ReadonlySet<string>;
  readonly campaigns: readonly Campaign[];
  readonly stats: StatsBatch;
  /** Each message's place in its phone's tally for its hour of receipt (1 = first message). */
  readonly messageRank: Map<string, number>;
  /** How many CNICs the message's phone has sent, lately, counting the message's own. */
  readonly cnicsFromPhone: Map<string, number>;
  /** Replies of the batch, queued together when the batch ends (`flushReplies`). */
  readonly replies: OutboundSms[];
  /** References the batch told households, indexed together just before its replies are queued. */
  readonly references: ReferenceEntry[];
}

export type ReconcileOutcome =
  | 'DECIDED'
  | 'STATUS_ANSWERED'
  | 'APPEAL_OPENED'
  | 'HELP_SENT'
  | 'ALREADY_HANDLED';
