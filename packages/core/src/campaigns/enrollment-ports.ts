import type { Language } from '../schemas.js';
import type { Campaign } from './campaign.js';
import type { CampaignLimits } from './cap-shards.js';
import type { CapState } from './ports.js';

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
