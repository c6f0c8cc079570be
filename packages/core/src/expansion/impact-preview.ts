import type { Campaign, RuleSet } from '../campaigns/campaign.js';
import { capShardsOf } from '../campaigns/cap-shards.js';
import { enrollWithinCaps, isWaitlisted } from '../campaigns/enroll-within-caps.js';
import { type Enrollment, type EnrollmentStore, enrollmentKey } from '../campaigns/enrollment-ports.js';
import type { CapLedger, EnrollmentClaims } from '../campaigns/ports.js';
import { SimulatedCapLedger } from '../campaigns/simulated-caps.js';
import { entitlementFor } from '../eligibility/entitlement.js';
import { referenceFor } from '../registration/reference.js';
import type { HouseholdRecord } from '../registry/registry-ports.js';
import type { AreaIndex } from './expand-area.js';
import { isNewlyEligible, topUpPayeeOf } from './vertical-candidate.js';

/** One district and tehsil of the preview. */
export interface AreaImpact {
  readonly district: string;
  readonly tehsil: string;
  /** Programme households the activation tops up (vertical expansion). */
  readonly topUps: number;
  /** Surveyed households outside the programme that would be decided ELIGIBLE if they registered. */
  readonly newlyEligible: number;
  readonly topUpAmount: number;
  readonly newlyEligibleAmount: number;
}

export interface ImpactPreview {
  readonly campaignId: string;
  readonly rules: RuleSet;
  readonly areas: readonly AreaImpact[];
  readonly topUps: { readonly households: number; readonly amount: number };
  readonly newlyEligible: { readonly households: number; readonly amount: number };
  /** The campaign's limits and what its cap shards hold committed already. */
  readonly budget: {
    readonly cap: number;
    readonly maxHouseholds: number;
    readonly committedAmount: number;
    readonly committedHouseholds: number;
  };
  /**
   * Of the top-ups, enrolled within the caps, waitlisted past them, and already enrolled (a campaign
   * activated before): what `expandArea` reports, reserved by the same `enrollWithinCaps`.
   */
  readonly activation: {
    readonly enrolled: number;
    readonly waitlisted: number;
    readonly alreadyEnrolled: number;
  };
  /**
   * Of the newly eligible, how many the room left after the top-ups takes if the rest all registered,
   * and how many registered and were enrolled already.
   */
  readonly registrations: {
    readonly withinCaps: number;
    readonly waitlisted: number;
    readonly alreadyEnrolled: number;
  };
  /** Households the area index returned (at or under the threshold in the districts). */
  readonly examined: number;
  /** The preview stopped at its limit: the figures are a lower bound. */
  readonly truncated: boolean;
}

export interface ImpactPreviewDeps {
  readonly areaIndex: AreaIndex;
  /** Read only: the cap shards as they stand. */
  readonly caps: Pick<CapLedger, 'read'>;
  /** Read only: enrollments already made, a page at a time (asked only for a campaign that was activated). */
  readonly enrollments: Pick<EnrollmentStore, 'find'>;
  readonly pageSize: number;
}

/**
 * What activating a campaign (or changing its rules to `rules`) would do, computed from the registry
 * by the activation's own steps and nothing written: each affected district paged through the area
 * index, each household asked `topUpPayeeOf` as `expandArea` asks it, each top-up reserved by
 * `enrollWithinCaps` on a copy of the campaign's cap shards. Newly eligible households are counted
 * by the rules `decideEligibility` applies, and reserved on the same copy after the top-ups.
 * Bounded by `limit` households examined (`truncated` past it).
 */
export async function previewImpact(
  deps: ImpactPreviewDeps,
  stored: Campaign,
  options: { rules?: Partial<RuleSet>; limit: number },
): Promise<ImpactPreview> {
  const campaign: Campaign = { ...stored, rules: { ...stored.rules, ...options.rules } };
  const shards = capShardsOf(campaign);
  const caps = new SimulatedCapLedger(await deps.caps.read(campaign.campaignId, shards));
  const activated = stored.status !== 'draft';
  // Enrollments already made on the page being previewed (one batch read a page), as the lookup sees them.
  let existing = new Map<string, Enrollment>();
  const claims: EnrollmentClaims = {
    lookup: async (enrollment, home) => {
      const found = existing.get(enrollmentKey(enrollment.campaignId, enrollment.householdId));
      return { ...(found ? { existing: found } : {}), ...caps.homeShard(campaign.campaignId, home) };
    },
    create: async () => ({ created: true }),
    settle: async () => undefined,
    reclaim: async () => false,
    waitlist: async () => [],
  };
  const areas = new Map<
    string,
    { district: string; tehsil: string; t: number; n: number; ta: number; na: number }
  >();
  const seen = new Set<string>();
  const activation = { enrolled: 0, waitlisted: 0, alreadyEnrolled: 0 };
  const registrations = { withinCaps: 0, waitlisted: 0, alreadyEnrolled: 0 };
  const newcomers: HouseholdRecord[] = [];
  let examined = 0;
  let truncated = false;
  const cell = (h: HouseholdRecord) => {
    const key = `${h.district}|${h.tehsil}`;
    const row = areas.get(key) ?? { district: h.district, tehsil: h.tehsil, t: 0, n: 0, ta: 0, na: 0 };
    areas.set(key, row);
    return row;
  };
  for (const area of campaign.areas) {
    if (examined >= options.limit) {
      truncated = true;
      break;
    }
    let cursor: string | undefined;
    do {
      const page = await deps.areaIndex.page({
        district: area.district,
        maxScore: campaign.rules.pmtThreshold,
        limit: Math.min(deps.pageSize, options.limit - examined),
        ...(cursor ? { cursor } : {}),
      });
      cursor = page.cursor;
      examined += page.households.length;
      existing =
        activated && page.households.length > 0
          ? await deps.enrollments.find(
              page.households.map((h) => ({ campaignId: campaign.campaignId, householdId: h.householdId })),
            )
          : new Map();
      for (const household of page.households) {
        if (seen.has(household.householdId)) continue;
        const payee = topUpPayeeOf(campaign, area, household);
        if (payee) {
          seen.add(household.householdId);
          const { amount } = entitlementFor(campaign, household);
          const row = cell(household);
          row.t++;
          row.ta += amount;
          const result = await enrollWithinCaps(
            { claims, caps },
            topUpOf(campaign, household, payee),
            campaign,
          );
          if (!result.created) activation.alreadyEnrolled++;
          else if (isWaitlisted(result)) activation.waitlisted++;
          else activation.enrolled++;
        } else if (isNewlyEligible(campaign, household)) {
          seen.add(household.householdId);
          const row = cell(household);
          row.n++;
          row.na += entitlementFor(campaign, household).amount;
          // One who registered and was enrolled already holds its place in the caps.
          if (existing.has(enrollmentKey(campaign.campaignId, household.householdId)))
            registrations.alreadyEnrolled++;
          else newcomers.push(household);
        }
      }
      truncated = examined >= options.limit && cursor !== undefined;
    } while (cursor && !truncated);
    if (truncated) break;
  }
  for (const household of newcomers) {
    const result = await enrollWithinCaps(
      { claims: { ...claims, lookup: async (_e, home) => caps.homeShard(campaign.campaignId, home) }, caps },
      newcomerOf(campaign, household),
      campaign,
    );
    if (isWaitlisted(result)) registrations.waitlisted++;
    else registrations.withinCaps++;
  }
  const rows = [...areas.values()].sort((a, b) =>
    a.district === b.district ? a.tehsil.localeCompare(b.tehsil) : a.district.localeCompare(b.district),
  );
  const committed = await deps.caps.read(campaign.campaignId, shards);
  return {
    campaignId: campaign.campaignId,
    rules: campaign.rules,
    areas: rows.map((r) => ({
      district: r.district,
      tehsil: r.tehsil,
      topUps: r.t,
      newlyEligible: r.n,
      topUpAmount: r.ta,
      newlyEligibleAmount: r.na,
    })),
    topUps: { households: sum(rows, (r) => r.t), amount: sum(rows, (r) => r.ta) },
    newlyEligible: { households: sum(rows, (r) => r.n), amount: sum(rows, (r) => r.na) },
    budget: {
      cap: campaign.budgetCap,
      maxHouseholds: campaign.maxHouseholds,
      committedAmount: committed.reduce((n, s) => n + (s?.committed ?? 0), 0),
      committedHouseholds: committed.reduce((n, s) => n + (s?.households ?? 0), 0),
    },
    activation,
    registrations,
    examined,
    truncated,
  };
}

function sum<T>(rows: readonly T[], of: (row: T) => number): number {
  return rows.reduce((n, r) => n + of(r), 0);
}

/** The enrollment `expandArea` makes for a top-up (same message id, so the same reservation holder). */
function topUpOf(campaign: Campaign, household: HouseholdRecord, payee: string): Enrollment {
  const messageId = `vertical:${campaign.campaignId}:${household.householdId}`;
  return {
    campaignId: campaign.campaignId,
    householdId: household.householdId,
    messageId,
    reference: referenceFor(messageId),
    cnicHash: payee,
    ...entitlementFor(campaign, household),
    district: household.district,
    tehsil: household.tehsil,
    ruleSetVersion: campaign.ruleSetVersion,
    channel: 'vertical',
    enrolledAt: '',
  };
}

/** A newly eligible household's enrollment if it registered (its own holder; the payee does not matter). */
function newcomerOf(campaign: Campaign, household: HouseholdRecord): Enrollment {
  const messageId = `preview:${campaign.campaignId}:${household.householdId}`;
  return {
    ...topUpOf(campaign, household, household.householdId),
    messageId,
    reference: referenceFor(messageId),
    ...entitlementFor(campaign, household),
  };
}
