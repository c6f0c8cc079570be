import type { AuditLog } from '../audit/ports.js';
import type { Campaign } from '../campaigns/campaign.js';
import type { EnrollmentStore } from '../campaigns/enrollment-ports.js';
import type { DecisionStatus, ReasonCode } from '../eligibility/decision.js';
import type { DecisionRecordStore, ReplyQueue, StatsSink } from '../registration/ports.js';
import type { Clock } from '../time/clock.js';
import type { GazetteerReader } from './gazetteer/ports.js';

/** How the officer checked the household: a visit to the desk, or a document seen (CNIC, utility bill). */
export const VERIFICATION_METHODS = ['DESK_VISIT', 'DOCUMENT_SEEN'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/**
 * What the verification concludes: eligible under the campaign's rules (its amount, an entitlement,
 * so a second officer confirms), not eligible under them (with the rule it fails), or rejected (the
 * household could not be verified), each with a written reason.
 */
export const VERIFICATION_OUTCOMES = ['ELIGIBLE', 'NOT_ELIGIBLE', 'REJECTED'] as const;
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];

/** Rules an officer may find a household failing (the reason codes the reply explains). */
export const NOT_ELIGIBLE_REASONS = ['SCORE_ABOVE_THRESHOLD', 'OUTSIDE_AFFECTED_AREA'] as const;

export interface VerifiedArea {
  readonly province: string;
  readonly district: string;
  readonly tehsil: string;
}

/**
 * A provisional household's verification, kept on the household item. `PROPOSED`: an eligible
 * finding waiting for a second officer; `COMPLETING`: claimed for one outcome, the steps after the
 * claim under way (a re-run finishes them); `DONE`: decided, recorded, told.
 */
export interface HouseholdVerification {
  readonly status: 'PROPOSED' | 'COMPLETING' | 'DONE';
  readonly outcome: VerificationOutcome;
  readonly area: VerifiedArea;
  readonly method: VerificationMethod;
  readonly note: string;
  /** Why not eligible or rejected (required for those), or the officer's remark. */
  readonly reason?: string;
  readonly reasonCode?: ReasonCode;
  /** The campaign whose rules decided (none for a rejection outside any campaign). */
  readonly campaignId?: string;
  readonly ruleSetVersion?: string;
  readonly amount?: number;
  readonly proposedBy: string;
  readonly proposedRole: string;
  readonly proposedAt: string;
  readonly confirmedBy?: string;
  readonly confirmedRole?: string;
  readonly confirmedAt?: string;
  /** What was decided and what the household was told (set with `DONE`). */
  readonly result?: {
    readonly status: DecisionStatus;
    readonly reference: string;
    readonly notice?: { readonly to: string; readonly text: string; readonly id: string };
  };
}

/** A provisional household as verification reads it (strongly consistent). */
export interface VerifiableHousehold {
  readonly householdId: string;
  readonly status: 'active' | 'provisional';
  readonly phones: readonly string[];
  readonly members: readonly { readonly cnicHash: string; readonly cnic?: string }[];
  readonly pmtScore: number;
  readonly verification?: HouseholdVerification;
}

/** The household item's verification writes: each one conditional, so two officers give one outcome. */
export interface VerificationStore {
  read(householdId: string): Promise<VerifiableHousehold | undefined>;
  /**
   * Writes `next` if the household's verification is in state `from` (`NONE`: none yet, and the
   * household still provisional) and, for `PROPOSED`, was proposed at `proposedAt`: false otherwise.
   */
  claim(
    householdId: string,
    from: 'NONE' | 'PROPOSED',
    next: HouseholdVerification,
    proposedAt?: string,
  ): Promise<boolean>;
  /**
   * Removes a PROPOSED verification proposed at `proposedAt` (declined or withdrawn): the household is
   * unverified again. False when it was not that proposal any more (confirmed or declined meanwhile).
   */
  release(householdId: string, proposedAt: string): Promise<boolean>;
  /**
   * COMPLETING -> DONE with the result: the household takes the verified area, becomes an active
   * registry household and leaves the provisional queue. A household already DONE is left as it is:
   * false then (only the call that made the change counts it in the campaign's figures).
   */
  complete(
    householdId: string,
    area: VerifiedArea,
    result: NonNullable<HouseholdVerification['result']>,
  ): Promise<boolean>;
  /** Rewrites every member's decision view from the household item (as change requests do). */
  refreshViews(householdId: string): Promise<void>;
}

export interface VerificationDeps {
  readonly verifications: VerificationStore;
  readonly campaigns: { list(): Promise<Campaign[]>; get(campaignId: string): Promise<Campaign | undefined> };
  readonly decisions: Pick<DecisionRecordStore, 'put' | 'latest'>;
  readonly enrollments: Pick<EnrollmentStore, 'enroll'>;
  readonly replies: ReplyQueue;
  readonly audit: Pick<AuditLog, 'append'>;
  /** The campaign's counters: the household leaves `pending verification` for its outcome. */
  readonly stats?: StatsSink;
  readonly clock: Clock;
  /** The areas in force (an imported gazetteer); absent, the built-in list. */
  readonly gazetteer?: GazetteerReader;
}
