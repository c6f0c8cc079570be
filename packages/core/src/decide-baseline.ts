import { BASELINE_RULE_SET, type Decision } from './decision.js';
import type { RegistryMatch } from './ports.js';

/**
 * Decides a registration when no campaign rules apply: the household is told whether the registry
 * knows it, or that it is recorded as provisional and pending verification.
 */
export function decideBaseline(match: RegistryMatch | undefined, now: Date): Decision {
  const decidedAt = now.toISOString();
  const identity = match?.identity;
  if (identity && identity.status !== 'ALIVE') {
    return {
      status: 'IDENTITY_MISMATCH',
      reasons: [identity.status === 'DECEASED' ? 'IDENTITY_DECEASED' : 'IDENTITY_BLOCKED'],
      ruleSetVersion: BASELINE_RULE_SET,
      inputs: { identityStatus: identity.status },
      decidedAt,
    };
  }
  const person = match?.person;
  if (!person) {
    return {
      status: 'PENDING_VERIFICATION',
      reasons: ['NOT_IN_REGISTRY'],
      ruleSetVersion: BASELINE_RULE_SET,
      inputs: { inRegistry: false },
      decidedAt,
    };
  }
  return {
    status: 'NO_ACTIVE_CAMPAIGN',
    reasons: ['IN_REGISTRY'],
    ruleSetVersion: BASELINE_RULE_SET,
    householdId: person.householdId,
    inputs: {
      inRegistry: true,
      pmtScore: match?.household?.pmtScore ?? null,
      district: match?.household?.district ?? null,
    },
    decidedAt,
  };
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
