export const decisionStatuses = [
  'ELIGIBLE',
  'NOT_ELIGIBLE',
  'PENDING_VERIFICATION',
  'DUPLICATE',
  'IDENTITY_MISMATCH',
  'INVALID_REQUEST',
  'NO_ACTIVE_CAMPAIGN',
  'CAMPAIGN_CLOSED',
  'RATE_LIMITED',
  /** Eligible, but the campaign's household maximum or budget is reached: promoted if it is raised. */
  'WAITLISTED',
] as const;
export type DecisionStatus = (typeof decisionStatuses)[number];

export type ReasonCode =
  | 'IN_REGISTRY'
  | 'NOT_IN_REGISTRY'
  | 'INVALID_CNIC'
  | 'UNRECOGNISED_MESSAGE'
  | 'HELP_REQUESTED'
  | 'SCORE_ABOVE_THRESHOLD'
  | 'OUTSIDE_AFFECTED_AREA'
  | `EXCLUSION_${string}`
  | 'IDENTITY_UNKNOWN'
  | 'IDENTITY_DECEASED'
  | 'IDENTITY_BLOCKED'
  | 'ALREADY_ENROLLED'
  | 'PHONE_RATE_LIMITED'
  | 'CNIC_PHONES_LIMITED'
  | 'CAP_REACHED';

/** Version of the built-in rules used when no campaign applies. */
export const BASELINE_RULE_SET = 'baseline-1';

/**
 * A decision is data: what was decided, why, under which rule-set version and from which inputs,
 * so it can be explained, audited and replayed.
 */
export interface Decision {
  readonly status: DecisionStatus;
  readonly reasons: readonly ReasonCode[];
  readonly ruleSetVersion: string;
  readonly campaignId?: string;
  readonly householdId?: string;
  readonly category?: 'TOP_UP' | 'NEW_BENEFICIARY';
  readonly amount?: number;
  readonly inputs: Readonly<Record<string, string | number | boolean | null>>;
  readonly decidedAt: string;
}
