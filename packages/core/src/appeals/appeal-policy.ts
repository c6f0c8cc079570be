import type { AuditLog } from '../audit/ports.js';
import { searchAuditLog } from '../audit/search-ledger.js';
import type { Campaign } from '../campaigns/campaign.js';
import { entitlementOfRecorded } from '../eligibility/entitlement.js';
import { toPakistanLocalInput } from '../time/pakistan-time.js';
import type { Appeal } from './appeals.js';

/** How appeals are worked: the target time to resolve one, and when an overturn needs a second officer. */
export interface AppealPolicy {
  /** Days from opening within which an appeal should be resolved; older ones are overdue. */
  readonly targetDays: number;
  /**
   * An overturn that would create an entitlement of at least this many rupees needs a second officer
   * to confirm it (maker-checker); 0: every overturn that creates one does.
   */
  readonly secondOfficerAmount: number;
  /**
   * Once an officer has made this many overturns that create an entitlement in a day (Pakistan time),
   * each further one that day needs a second officer too, whatever its amount; 0: no limit by count.
   */
  readonly secondOfficerAfter: number;
}

export const DEFAULT_APPEAL_POLICY: AppealPolicy = {
  targetDays: 7,
  secondOfficerAmount: 10_000,
  secondOfficerAfter: 20,
};

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
 * `MADAD_APPEAL_TARGET_DAYS` (default 7), `MADAD_APPEAL_SECOND_OFFICER_PKR` (default 10000) and
 * `MADAD_APPEAL_SECOND_OFFICER_AFTER` (overturns an officer makes a day before each needs a second; default 20).
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
    secondOfficerAfter: whole(
      env,
      'MADAD_APPEAL_SECOND_OFFICER_AFTER',
      DEFAULT_APPEAL_POLICY.secondOfficerAfter,
      10_000,
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
  return entitlementOfRecorded(campaign, decision.inputs).amount;
}

/**
 * Whether an overturn creating `amount` needs a second officer under the policy: at or above the
 * amount, or once the officer has made `overturnsToday` overturns that created an entitlement today.
 * An overturn that creates no entitlement changes no money and needs none.
 */
export function needsSecondOfficer(
  amount: number,
  policy: Pick<AppealPolicy, 'secondOfficerAmount'> & Partial<Pick<AppealPolicy, 'secondOfficerAfter'>>,
  overturnsToday = 0,
): boolean {
  if (amount <= 0) return false;
  const after = policy.secondOfficerAfter ?? 0;
  return amount >= policy.secondOfficerAmount || (after > 0 && overturnsToday >= after);
}

/**
 * How many overturns that created an entitlement `officer` made effective today (Pakistan time), read
 * from the ledger's `appeal.resolve` entries (newest first, at most the search's scan limit).
 */
export async function overturnsToday(
  audit: Pick<AuditLog, 'list' | 'head'>,
  officer: string,
  now: Date,
): Promise<number> {
  const day = toPakistanLocalInput(now).slice(0, 10);
  const found = await searchAuditLog(
    audit,
    { actor: officer, action: 'appeal.resolve', from: `${day}T00:00:00+05:00` },
    { pageSize: 1000 },
  );
  return found.entries.filter((e) => {
    const after = e.after as { status?: unknown; enrolled?: unknown } | undefined;
    return after?.status === 'OVERTURNED' && after.enrolled === true;
  }).length;
}
