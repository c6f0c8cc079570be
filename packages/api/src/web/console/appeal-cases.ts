import {
  type Appeal,
  type AppealPolicy,
  appealAge,
  DEFAULT_APPEAL_POLICY,
  needsSecondOfficer,
  overturnAmount,
  overturnsToday,
} from '@madad/core';
import type { ApiDeps } from '../../deps.js';

/** The household an appeal is about, as an officer needs it to decide (no CNICs). */
export interface AppealHousehold {
  readonly householdId: string;
  readonly head?: string;
  readonly district: string;
  readonly tehsil: string;
  readonly pmtScore?: number;
  readonly members: number;
}

/** One appeal with what deciding it needs: its household, its age against the target, what an overturn costs. */
export interface AppealCase {
  readonly appeal: Appeal;
  readonly household?: AppealHousehold;
  readonly age: ReturnType<typeof appealAge>;
  /** The entitlement an overturn would create (PKR), 0 when none. */
  readonly overturnAmount: number;
  readonly needsSecondOfficer: boolean;
}

/** The appeals being worked: open, proposed for a second officer, and claims still resolving. */
export const WORKED_STATUSES = ['OPEN', 'PROPOSED', 'RESOLVING'] as const;
export const APPEALS_LIMIT = 100;

function householdOf(item: Record<string, unknown> | undefined): AppealHousehold | undefined {
  if (!item) return undefined;
  const members = Array.isArray(item.members) ? (item.members as Record<string, unknown>[]) : [];
  const head = members.find((m) => m.relation === 'head') ?? members[0];
  return {
    householdId: String(item.householdId ?? ''),
    ...(typeof head?.name === 'string' ? { head: head.name } : {}),
    district: String(item.district ?? ''),
    tehsil: String(item.tehsil ?? ''),
    ...(typeof item.pmtScore === 'number' ? { pmtScore: item.pmtScore } : {}),
    members: members.length,
  };
}

/**
 * Reads the appeals being worked with their context: the household (from the decision appealed, or
 * the person's household), the campaign's amount an overturn would create (and whether the reading
 * officer would need a second one for it), and the age against the policy's target. Oldest first; a few key reads per appeal.
 */
export async function readAppealCases(
  deps: Pick<ApiDeps, 'appeals' | 'households' | 'campaigns' | 'clock' | 'appealPolicy' | 'audit'>,
  /** The officer reading: their overturns today count towards the policy's second-officer count. */
  officer?: string,
): Promise<{ cases: AppealCase[]; policy: AppealPolicy; overturnsToday: number }> {
  const policy = deps.appealPolicy ?? DEFAULT_APPEAL_POLICY;
  const now = deps.clock.now();
  const today = officer && policy.secondOfficerAfter > 0 ? await overturnsToday(deps.audit, officer, now) : 0;
  const lists = await Promise.all(WORKED_STATUSES.map((s) => deps.appeals.list(s, APPEALS_LIMIT)));
  const appeals = lists.flat().sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  const campaigns = new Map<string, ReturnType<ApiDeps['campaigns']['get']>>();
  const cases = await Promise.all(
    appeals.map(async (appeal): Promise<AppealCase> => {
      const decision = appeal.decision?.decision;
      const householdId = decision?.householdId ?? (await deps.households.householdIdOf(appeal.cnicHash));
      const campaignId = decision?.campaignId;
      if (campaignId && !campaigns.has(campaignId)) campaigns.set(campaignId, deps.campaigns.get(campaignId));
      const [item, campaign] = await Promise.all([
        householdId ? deps.households.get(householdId) : undefined,
        campaignId ? campaigns.get(campaignId) : undefined,
      ]);
      const household = householdOf(item);
      const amount = overturnAmount(appeal, campaign);
      return {
        appeal,
        ...(household ? { household } : {}),
        age: appealAge(appeal, now, policy),
        overturnAmount: amount,
        needsSecondOfficer: needsSecondOfficer(amount, policy, today),
      };
    }),
  );
  return { cases, policy, overturnsToday: today };
}
