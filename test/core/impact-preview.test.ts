import {
  type ActivationWork,
  type AreaIndex,
  type Campaign,
  capShardsFor,
  expandArea,
  type HouseholdRecord,
  previewImpact,
  ruleSetVersionOf,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryEnrollmentStore } from '../support/cap-fakes.js';

const TOP_UP = 6000;
const NEW = 12000;

function campaignOf(limits: { maxHouseholds: number; budgetCap: number; capShards?: number }): Campaign {
  const declared = {
    campaignId: 'C-PREVIEW',
    name: 'Preview floods',
    nameUr: 'سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu', tehsils: ['Johi', 'Mehar'] }, { district: 'Sanghar' }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-09-30T00:00:00Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: ['GOVT_EMPLOYEE'],
      amounts: { topUp: TOP_UP, newBeneficiary: NEW },
      regularProgramme: 'KAFAALAT',
    },
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'draft',
    ruleSetVersion: ruleSetVersionOf('C-PREVIEW', 1),
    createdBy: 'cell',
    createdAt: '2026-08-01T00:00:00Z',
    ...limits,
  } as Campaign;
  return { ...declared, capShards: limits.capShards ?? capShardsFor(declared) };
}

/** A registry of 120 households over two districts and three tehsils, scores 0..59, a third in KAFAALAT. */
function registry(): HouseholdRecord[] {
  const places = [
    ['Dadu', 'Johi'],
    ['Dadu', 'Mehar'],
    ['Dadu', 'Khairpur Nathan Shah'],
    ['Sanghar', 'Sinjhoro'],
  ] as const;
  return Array.from({ length: 120 }, (_, i) => {
    const [district, tehsil] = places[i % 4] as readonly [string, string];
    return {
      householdId: `HH-${String(i).padStart(3, '0')}`,
      province: 'Sindh',
      district,
      tehsil,
      pmtScore: i % 60,
      programmes: i % 3 === 0 ? ['KAFAALAT'] : [],
      members: [
        {
          cnicHash: `h-${i}`,
          relation: 'head',
          gender: 'female',
          exclusions: i % 7 === 0 ? ['GOVT_EMPLOYEE'] : [],
        },
      ],
      status: 'active',
    };
  });
}

/** The byDistrict index: a district's households at or under a score, in score order, in pages. */
function areaIndexOver(households: HouseholdRecord[]): AreaIndex {
  return {
    page: async (q) => {
      const all = households
        .filter((h) => h.district === q.district && h.pmtScore <= q.maxScore)
        .filter((h) => !q.programme || h.programmes.includes(q.programme))
        .sort((a, b) => a.pmtScore - b.pmtScore || a.householdId.localeCompare(b.householdId));
      const from = Number(q.cursor ?? 0);
      const next = from + q.limit;
      return { households: all.slice(from, next), ...(next < all.length ? { cursor: String(next) } : {}) };
    },
  };
}

/** Activates for real: every district's work item and its next pages through `expandArea`. */
async function activate(campaign: Campaign, households: HouseholdRecord[]) {
  const store = memoryEnrollmentStore();
  const active = { ...campaign, status: 'active' as const, revision: 1 };
  const queue: ActivationWork[] = campaign.areas.map((a) => ({
    campaignId: campaign.campaignId,
    district: a.district,
    ...(a.tehsils ? { tehsils: a.tehsils } : {}),
    page: 0,
  }));
  const totals = { enrolled: 0, waitlisted: 0 };
  while (queue.length > 0) {
    const work = queue.shift() as ActivationWork;
    const result = await expandArea(
      {
        campaigns: { get: async () => active },
        areaIndex: areaIndexOver(households),
        enrollments: store,
        stats: { add: async () => undefined },
        replies: { enqueue: async () => undefined },
        next: { enqueueAll: async (items) => void queue.push(...items) },
        clock: { now: () => new Date('2026-08-20T10:00:00Z') },
        pageSize: 7,
      },
      work,
    );
    totals.enrolled += result.enrolled;
    totals.waitlisted += result.waitlisted;
  }
  return { store, totals };
}

function previewDeps(households: HouseholdRecord[], store = memoryEnrollmentStore()) {
  return { areaIndex: areaIndexOver(households), caps: store.caps, enrollments: store, pageSize: 7 };
}

describe('previewImpact', () => {
  it('gives the figures the activation then produces, by district and tehsil, within the caps', async () => {
    const campaign = campaignOf({ maxHouseholds: 9, budgetCap: 1e9, capShards: 3 });
    const households = registry();

    const preview = await previewImpact(previewDeps(households), campaign, { limit: 10_000 });
    const { store, totals } = await activate(campaign, households);

    const enrolled = [...store.claims.items.values()];
    expect(preview.activation).toEqual({ ...totals, alreadyEnrolled: 0 });
    expect(preview.topUps.households).toBe(enrolled.length);
    expect(preview.topUps.amount).toBe(enrolled.length * TOP_UP);
    const byArea = (rows: { district: string; tehsil: string }[]) =>
      Object.entries(
        rows.reduce<Record<string, number>>((acc, r) => {
          acc[`${r.district}/${r.tehsil}`] = (acc[`${r.district}/${r.tehsil}`] ?? 0) + 1;
          return acc;
        }, {}),
      ).sort();
    expect(
      preview.areas.filter((a) => a.topUps > 0).map((a) => [`${a.district}/${a.tehsil}`, a.topUps]),
    ).toEqual(byArea(enrolled));
    expect(preview.activation.waitlisted).toBeGreaterThan(0);
    expect(store.caps.committed('C-PREVIEW')).toEqual({ households: 9, amount: 9 * TOP_UP });
  });

  it('leaves out tehsils outside the campaign, households above the threshold and excluded ones', async () => {
    const campaign = campaignOf({ maxHouseholds: 1000, budgetCap: 1e9 });

    const preview = await previewImpact(previewDeps(registry()), campaign, { limit: 10_000 });

    const expected = registry().filter(
      (h) =>
        h.pmtScore <= 32 &&
        h.tehsil !== 'Khairpur Nathan Shah' &&
        !h.members.some((m) => m.exclusions.includes('GOVT_EMPLOYEE')),
    );
    expect(preview.topUps.households).toBe(expected.filter((h) => h.programmes.length > 0).length);
    expect(preview.newlyEligible.households).toBe(expected.filter((h) => h.programmes.length === 0).length);
    expect(preview.newlyEligible.amount).toBe(preview.newlyEligible.households * NEW);
    expect(preview.areas.map((a) => a.tehsil)).not.toContain('Khairpur Nathan Shah');
    expect(preview.activation.waitlisted).toBe(0);
  });

  it('previews a rules change: a higher threshold tops up more, and an activated campaign counts who is enrolled', async () => {
    const campaign = campaignOf({ maxHouseholds: 1000, budgetCap: 1e9 });
    const households = registry();
    const { store } = await activate(campaign, households);
    const active = { ...campaign, status: 'active' as const };

    const same = await previewImpact(previewDeps(households, store), active, { limit: 10_000 });
    const raised = await previewImpact(previewDeps(households, store), active, {
      rules: { pmtThreshold: 50 },
      limit: 10_000,
    });

    expect(same.activation).toMatchObject({ enrolled: 0, alreadyEnrolled: same.topUps.households });
    expect(raised.rules.pmtThreshold).toBe(50);
    expect(raised.topUps.households).toBeGreaterThan(same.topUps.households);
    expect(raised.activation.alreadyEnrolled).toBe(same.topUps.households);
    expect(raised.activation.enrolled).toBe(raised.topUps.households - same.topUps.households);
  });

  it('counts a newly eligible household that registered and was enrolled already once, not again against the caps', async () => {
    const campaign = { ...campaignOf({ maxHouseholds: 1000, budgetCap: 1e9 }), status: 'active' as const };
    const households = registry();
    const store = memoryEnrollmentStore();
    const before = await previewImpact(previewDeps(households, store), campaign, { limit: 10_000 });
    const newcomer = households.find(
      (h) => h.programmes.length === 0 && h.pmtScore <= 32 && h.tehsil === 'Johi',
    );
    if (!newcomer) throw new Error('the registry has no newcomer in Johi');
    await store.enroll(
      {
        campaignId: campaign.campaignId,
        householdId: newcomer.householdId,
        messageId: 'sms-1',
        reference: 'R-1',
        cnicHash: 'h',
        category: 'NEW_BENEFICIARY',
        amount: NEW,
        district: newcomer.district,
        tehsil: newcomer.tehsil,
        ruleSetVersion: campaign.ruleSetVersion,
        channel: 'sms',
        enrolledAt: '2026-08-20T10:00:00Z',
      },
      campaign,
    );

    const after = await previewImpact(previewDeps(households, store), campaign, { limit: 10_000 });

    expect(after.newlyEligible.households).toBe(before.newlyEligible.households);
    expect(after.registrations.alreadyEnrolled).toBe(1);
    expect(after.registrations.withinCaps).toBe(before.registrations.withinCaps - 1);
    expect(after.budget.committedAmount).toBe(NEW);
  });

  it('waitlists the newly eligible the room left after the top-ups cannot take', async () => {
    // Twelve top-ups in the registry under these rules; room for them and three newcomers.
    const campaign = campaignOf({ maxHouseholds: 1000, budgetCap: 12 * TOP_UP + 3 * NEW });

    const preview = await previewImpact(previewDeps(registry()), campaign, { limit: 10_000 });

    expect(preview.topUps.households).toBe(12);
    expect(preview.activation).toMatchObject({ enrolled: 12, waitlisted: 0 });
    expect(preview.registrations.withinCaps).toBe(3);
    expect(preview.registrations.waitlisted).toBe(preview.newlyEligible.households - 3);
  });

  it('stops at its limit and says the figures are truncated', async () => {
    const preview = await previewImpact(
      previewDeps(registry()),
      campaignOf({ maxHouseholds: 1000, budgetCap: 1e9 }),
      {
        limit: 10,
      },
    );

    expect(preview.examined).toBe(10);
    expect(preview.truncated).toBe(true);
  });
});
