import type { Campaign } from '../campaigns/campaign.js';
import { BASELINE_RULE_SET, type Decision } from '../eligibility/decision.js';

/** The phones that registered each CNIC in a campaign, in the order they first did. */
export interface CnicPhones {
  /**
   * The phone's place (1 = first) among the phones that registered the CNIC in the campaign, given
   * atomically (concurrent new phones get distinct places); a phone already counted keeps its place.
   */
  rankPhone(cnicHash: string, campaignId: string, phone: string): Promise<number>;
}

/**
 * A registration from a phone past the campaign's `phonesPerCnic`: flagged for review (a decision
 * outside the campaign, so it never becomes the CNIC's decision of record) and told so; undefined
 * when the phone is within the limit.
 */
export async function phonesPerCnicDecision(
  phones: CnicPhones | undefined,
  input: { cnicHash: string; phone: string; campaign: Campaign | undefined; knownPhone: boolean; now: Date },
): Promise<Decision | undefined> {
  const { campaign } = input;
  // A phone that already decided this CNIC in the campaign was counted then: no write on a repeat.
  if (!phones || !campaign || input.knownPhone) return undefined;
  const rank = await phones.rankPhone(input.cnicHash, campaign.campaignId, input.phone);
  const limit = campaign.limits.phonesPerCnic;
  if (rank <= limit) return undefined;
  return {
    status: 'RATE_LIMITED',
    reasons: ['CNIC_PHONES_LIMITED'],
    ruleSetVersion: BASELINE_RULE_SET,
    inputs: { phonesForCnic: rank, limit, campaign: campaign.campaignId },
    decidedAt: input.now.toISOString(),
  };
}
