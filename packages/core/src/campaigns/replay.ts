import type { Decision, DecisionStatus } from '../eligibility/decision.js';
import { ruleFailures } from '../eligibility/eligibility.js';
import { entitlementFor } from '../eligibility/entitlement.js';
import type { Campaign } from './campaign.js';

export interface ReplayChange {
  readonly messageId: string;
  readonly from: DecisionStatus;
  readonly to: DecisionStatus;
  readonly decision: Decision;
  readonly previous: Decision;
}

/**
 * Re-decides a past decision under the campaign's current rules, from the inputs it recorded (score,
 * members' flags, programme): no registry read, so replaying a million decisions is cheap. Only
 * rule-based outcomes can change; identity, area and duplicate outcomes stay as they were.
 */
export function replayDecision(previous: Decision, campaign: Campaign): Decision | undefined {
  if (previous.campaignId !== campaign.campaignId || previous.ruleSetVersion === campaign.ruleSetVersion)
    return undefined;
  if (previous.status !== 'ELIGIBLE' && previous.status !== 'NOT_ELIGIBLE') return undefined;
  const { pmtScore, memberFlags, inRegularProgramme } = previous.inputs;
  if (typeof pmtScore !== 'number' || previous.reasons.includes('OUTSIDE_AFFECTED_AREA')) return undefined;
  const flags = typeof memberFlags === 'string' && memberFlags ? memberFlags.split(',') : [];
  // What the rules read of a household, rebuilt from the recorded inputs.
  const household = {
    pmtScore,
    programmes: inRegularProgramme ? [campaign.rules.regularProgramme] : [],
    members: [{ exclusions: flags }],
  };
  const failures = ruleFailures(campaign, household);
  const inputs = { ...previous.inputs, pmtThreshold: campaign.rules.pmtThreshold };
  const base = { ...previous, ruleSetVersion: campaign.ruleSetVersion, inputs };
  if (failures.length > 0) {
    const { category: _c, amount: _a, ...rest } = base;
    return { ...rest, status: 'NOT_ELIGIBLE', reasons: failures };
  }
  return { ...base, status: 'ELIGIBLE', reasons: [], ...entitlementFor(campaign, household) };
}

export interface ReplayReport {
  readonly campaignId: string;
  readonly ruleSetVersion: string;
  readonly examined: number;
  readonly unchanged: number;
  readonly changes: Readonly<Record<string, number>>;
  readonly applied: boolean;
  readonly notified: number;
  /** True when the examined limit stopped the replay before the end; run again to continue. */
  readonly truncated: boolean;
}
