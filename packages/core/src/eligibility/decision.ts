import * as z from 'zod';

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

export const reasonCodes = [
  'IN_REGISTRY',
  'NOT_IN_REGISTRY',
  'INVALID_CNIC',
  'UNRECOGNISED_MESSAGE',
  'HELP_REQUESTED',
  'SCORE_ABOVE_THRESHOLD',
  'OUTSIDE_AFFECTED_AREA',
  'IDENTITY_UNKNOWN',
  'IDENTITY_DECEASED',
  'IDENTITY_BLOCKED',
  'ALREADY_ENROLLED',
  'PHONE_RATE_LIMITED',
  'CNIC_PHONES_LIMITED',
  'CAP_REACHED',
] as const;

/** Why a decision was taken: a code of `reasonCodes`, or `EXCLUSION_<filter>`. */
export type ReasonCode = (typeof reasonCodes)[number] | `EXCLUSION_${string}`;

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

/** A decision as stored (registrations, decisions of record): checked field by field when read. */
export const DecisionSchema = z.looseObject({
  status: z.enum(decisionStatuses),
  reasons: z.array(z.union([z.enum(reasonCodes), z.templateLiteral(['EXCLUSION_', z.string()])])),
  ruleSetVersion: z.string(),
  campaignId: z.string().optional(),
  householdId: z.string().optional(),
  category: z.enum(['TOP_UP', 'NEW_BENEFICIARY']).optional(),
  amount: z.number().optional(),
  inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  decidedAt: z.string(),
}) satisfies z.ZodType<Decision>;
