import type { Appeal } from '../appeals.js';
import type { Campaign } from '../campaign.js';

/** How appeals are worked: the target time to resolve one, and when an overturn needs a second officer. */
export interface AppealPolicy {
  /** Days from opening within which an appeal should be resolved; older ones are overdue. */
  readonly targetDays: number;
  /**
   * An overturn that would create an entitlement of at least this many rupees needs a second officer
   * to confirm it (maker-checker); 0: every overturn that creates one does.
   */
  readonly secondOfficerAmount: number;
}

export const DEFAULT_APPEAL_POLICY: AppealPolicy = { targetDays: 7, secondOfficerAmount: 10_000 };

function whole(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  max: number,
) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new Error(`${name} must be a whole number from 0 to ${max}, not "${raw}"`);
  return value;
}

/**
 * The policy from the environment, read once at start and failing fast on a bad value:
 * `MADAD_APPEAL_TARGET_DAYS` (default 7) and `MADAD_APPEAL_SECOND_OFFICER_PKR` (default 10000).
 */
export function appealPolicyFromEnv(env: Readonly<Record<string, string | undefined>>): AppealPolicy {
  const targetDays = whole(env, 'MADAD_APPEAL_TARGET_DAYS', DEFAULT_APPEAL_POLICY.targetDays, 365);
  if (targetDays < 1) throw new Error('MADAD_APPEAL_TARGET_DAYS must be at least 1');
  return {
    targetDays,
    secondOfficerAmount: whole(
      env,
      'MADAD_APPEAL_SECOND_OFFICER_PKR',
      DEFAULT_APPEAL_POLICY.secondOfficerAmount,
      100_000_000,
    ),
  };
}

/** How old an appeal is against the target: whole days open, when it falls due, and whether it is overdue. */
export function appealAge(
  appeal: Pick<Appeal, 'openedAt'>,
  now: Date,
  policy: Pick<AppealPolicy, 'targetDays'>,
): { readonly days: number; readonly dueAt: string; readonly overdue: boolean } {
  const opened = Date.parse(appeal.openedAt);
  const due = opened + policy.targetDays * 86_400_000;
  return {
    days: Math.max(0, Math.floor((now.getTime() - opened) / 86_400_000)),
    dueAt: new Date(due).toISOString(),
    overdue: now.getTime() > due,
  };
}

/**
 * The entitlement an overturn would create, as `resolveAppeal` enrolls it: the campaign's top-up or
 * new-beneficiary amount for a refusal taken under a campaign with a household; otherwise nothing.
 */
export function overturnAmount(appeal: Pick<Appeal, 'decision'>, campaign: Campaign | undefined): number {
  const decision = appeal.decision?.decision;
  if (!campaign || !decision?.campaignId || !decision.householdId || decision.status === 'ELIGIBLE') return 0;
  return decision.inputs.inRegularProgramme === true
    ? campaign.rules.amounts.topUp
    : campaign.rules.amounts.newBeneficiary;
}

/** Whether overturning needs a second officer under the policy. */
export function needsSecondOfficer(
  amount: number,
  policy: Pick<AppealPolicy, 'secondOfficerAmount'>,
): boolean {
  return amount > 0 && amount >= policy.secondOfficerAmount;
}
