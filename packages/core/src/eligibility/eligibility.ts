import { type Campaign, campaignCovers, isOpen } from '../campaigns/campaign.js';
import type { HouseholdRecord, RegistryMatch } from '../registry/registry-ports.js';
import { BASELINE_RULE_SET, type Decision, type ReasonCode } from './decision.js';
import { entitlementFor } from './entitlement.js';

export interface EligibilityInput {
  readonly match: RegistryMatch;
  /** Campaigns that are active or recently closed; draft campaigns never decide anything. */
  readonly campaigns: readonly Campaign[];
  /** Distinct CNICs this phone has registered, including this one. */
  readonly cnicsFromPhone: number;
  readonly now: Date;
}

/** Reasons a household fails a campaign's rules, checked on every member for exclusions. */
export function ruleFailures(
  campaign: Campaign,
  household: Pick<HouseholdRecord, 'pmtScore'> & {
    readonly members: readonly Pick<HouseholdRecord['members'][number], 'exclusions'>[];
  },
): ReasonCode[] {
  const reasons: ReasonCode[] = [];
  if (household.pmtScore > campaign.rules.pmtThreshold) reasons.push('SCORE_ABOVE_THRESHOLD');
  const flagged = new Set(household.members.flatMap((m) => m.exclusions));
  for (const filter of campaign.rules.exclusionFilters) {
    if (flagged.has(filter)) reasons.push(`EXCLUSION_${filter}`);
  }
  return reasons;
}

/**
 * Decides one registration under the campaigns in force. Pure: the same inputs give the same
 * decision, which records the rule-set version and the inputs it used. Enrollment (and so DUPLICATE)
 * is settled afterwards by a conditional write.
 */
export function decideEligibility(input: EligibilityInput): Decision {
  const { match, now } = input;
  const decidedAt = now.toISOString();
  const base = { decidedAt, ruleSetVersion: BASELINE_RULE_SET };
  const limit = Math.min(...input.campaigns.map((c) => c.limits.cnicsPerPhone), Number.POSITIVE_INFINITY);
  if (input.cnicsFromPhone > limit) {
    return {
      ...base,
      status: 'RATE_LIMITED',
      reasons: ['PHONE_RATE_LIMITED'],
      inputs: { cnicsFromPhone: input.cnicsFromPhone, limit },
    };
  }
  const identity = match.identity;
  if (identity?.status !== 'ALIVE') {
    const reason: ReasonCode = !identity
      ? 'IDENTITY_UNKNOWN'
      : identity.status === 'DECEASED'
        ? 'IDENTITY_DECEASED'
        : 'IDENTITY_BLOCKED';
    return {
      ...base,
      status: 'IDENTITY_MISMATCH',
      reasons: [reason],
      inputs: { identityStatus: identity?.status ?? null },
    };
  }
  const household = match.household;
  if (!match.person || !household || household.status === 'provisional') {
    return {
      ...base,
      status: 'PENDING_VERIFICATION',
      reasons: ['NOT_IN_REGISTRY'],
      inputs: { inRegistry: false },
    };
  }
  const areaInputs = {
    householdId: household.householdId,
    district: household.district,
    tehsil: household.tehsil,
  };
  const covering = input.campaigns.filter((c) => campaignCovers(c, household.district, household.tehsil));
  const open = covering.find((c) => isOpen(c, now));
  if (!open) {
    if (covering.some((c) => c.status === 'closed' || now.getTime() >= Date.parse(c.closesAt))) {
      const closed = covering[0];
      return {
        ...base,
        ...(closed ? { campaignId: closed.campaignId, ruleSetVersion: closed.ruleSetVersion } : {}),
        status: 'CAMPAIGN_CLOSED',
        reasons: [],
        householdId: household.householdId,
        inputs: areaInputs,
      };
    }
    const elsewhere = input.campaigns.some((c) => isOpen(c, now));
    return {
      ...base,
      status: elsewhere ? 'NOT_ELIGIBLE' : 'NO_ACTIVE_CAMPAIGN',
      reasons: elsewhere ? ['OUTSIDE_AFFECTED_AREA'] : ['IN_REGISTRY'],
      householdId: household.householdId,
      inputs: areaInputs,
    };
  }
  const failures = ruleFailures(open, household);
  const inputs = {
    ...areaInputs,
    pmtScore: household.pmtScore,
    pmtThreshold: open.rules.pmtThreshold,
    memberFlags: [...new Set(household.members.flatMap((m) => m.exclusions))].sort().join(',') || null,
    inRegularProgramme: household.programmes.includes(open.rules.regularProgramme),
  };
  const decided = {
    ...base,
    campaignId: open.campaignId,
    ruleSetVersion: open.ruleSetVersion,
    householdId: household.householdId,
    inputs,
  };
  if (failures.length > 0) return { ...decided, status: 'NOT_ELIGIBLE', reasons: failures };
  return { ...decided, status: 'ELIGIBLE', reasons: [], ...entitlementFor(open, household) };
}

export function invalidRequestDecision(reason: 'INVALID_CNIC' | 'UNRECOGNISED_MESSAGE', now: Date): Decision {
  return {
    status: 'INVALID_REQUEST',
    reasons: [reason],
    ruleSetVersion: BASELINE_RULE_SET,
    inputs: {},
    decidedAt: now.toISOString(),
  };
}
