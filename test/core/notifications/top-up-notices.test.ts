import {
  type Campaign,
  CampaignInputSchema,
  capShardsFor,
  crashOnceAt,
  type ExpandDeps,
  expandArea,
  formatAmount,
  type HouseholdRecord,
  InjectedCrashError,
  type Language,
  type OutboundSms,
  referenceFor,
  renderReply,
  ruleSetVersionOf,
  setCrashHook,
  topUpNoticeId,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryEnrollmentStore } from '../../support/cap-fakes.js';

const TOP_UP = 7500;
const WORK = { campaignId: 'C-TOPUP', district: 'Dadu', page: 0 };

/** A campaign as the emergency cell declares it (the API's schema and its defaults), activated. */
function declared(overrides: Record<string, unknown> = {}): Campaign {
  const input = CampaignInputSchema.parse({
    name: 'Dadu floods',
    nameUr: 'دادو سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-09-30T00:00:00Z',
    rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: TOP_UP, newBeneficiary: 12_000 } },
    budgetCap: 1e9,
    maxHouseholds: 1000,
    ...overrides,
  });
  const campaign = {
    ...input,
    campaignId: WORK.campaignId,
    status: 'active',
    ruleSetVersion: ruleSetVersionOf(WORK.campaignId, 1),
    createdBy: 'cell',
    createdAt: '2026-08-01T00:00:00Z',
  } as Campaign;
  return { ...campaign, capShards: capShardsFor(campaign) };
}

const phoneOf = (i: number) => `+92301${String(1000000 + i)}`;

function household(i: number): HouseholdRecord {
  return {
    householdId: `HH-T${i}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Johi',
    pmtScore: 15,
    programmes: ['KAFAALAT'],
    members: [{ cnicHash: `woman-${i}`, relation: 'head', gender: 'female', exclusions: [] }],
    phones: [phoneOf(i)],
    status: 'active',
  };
}

/**
 * The activation's world: enrollments within caps, the outbound queue, and an aggregator that, like
 * the real one, takes a client reference once (a repeat is refused, not delivered).
 */
function world(campaign: Campaign, written: Record<string, Language> = {}) {
  const store = memoryEnrollmentStore();
  const queued: OutboundSms[] = [];
  const delivered = new Map<string, OutboundSms>();
  const marks = new Set<string>();
  const deps: ExpandDeps = {
    campaigns: { get: async () => ({ ...campaign, revision: 1 }) },
    areaIndex: { page: async () => ({ households: [1, 2, 3].map(household) }) },
    enrollments: store,
    stats: { add: async () => undefined },
    replies: {
      enqueue: async (replies) => {
        queued.push(...replies);
        for (const r of replies) if (!delivered.has(r.id)) delivered.set(r.id, r);
      },
    },
    phoneLanguages: {
      lastLanguages: async (phones) =>
        new Map(phones.flatMap((p) => (written[p] ? [[p, written[p]] as const] : []))),
    },
    marks: { isDone: async (run) => marks.has(run), markDone: async (run) => void marks.add(run) },
    next: { enqueueAll: async () => undefined },
    clock: { now: () => new Date('2026-08-20T10:00:00Z') },
    pageSize: 100,
  };
  const deliveredTo = (phone: string) => [...delivered.values()].filter((r) => r.to === phone);
  return { deps, store, queued, delivered, deliveredTo };
}

afterEach(() => {
  setCrashHook(undefined);
});

describe('top-up notices at activation', () => {
  it('tells every topped-up household by default: one SMS to its phone, in Urdu script, with the amount', async () => {
    // Arrange: the cell declares the campaign without saying anything about notices.
    const campaign = declared();
    const w = world(campaign);

    // Act
    await expandArea(w.deps, WORK);

    // Assert
    expect(campaign.notifyTopUps).toBe(true);
    for (const i of [1, 2, 3]) {
      const [notice, ...more] = w.deliveredTo(phoneOf(i));
      expect(more).toEqual([]);
      const reference = referenceFor(`vertical:${WORK.campaignId}:HH-T${i}`);
      expect(notice).toMatchObject({
        id: topUpNoticeId(WORK.campaignId, `HH-T${i}`),
        to: phoneOf(i),
        lang: 'ur',
        reference,
      });
      expect(notice?.text).toContain(formatAmount(TOP_UP, 'ur'));
      expect(notice?.text).toBe(
        renderReply({
          status: 'ELIGIBLE',
          reasons: [],
          lang: 'ur',
          reference,
          amount: TOP_UP,
          topUp: true,
          campaignName: 'Dadu floods',
          campaignNameUr: 'دادو سیلاب',
        }),
      );
    }
  });

  it('tells a household in the language its phone last wrote in (Roman Urdu, English)', async () => {
    const w = world(declared(), { [phoneOf(1)]: 'ur-Latn', [phoneOf(2)]: 'en' });

    await expandArea(w.deps, WORK);

    expect(w.deliveredTo(phoneOf(1)).map((n) => n.lang)).toEqual(['ur-Latn']);
    expect(w.deliveredTo(phoneOf(1))[0]?.text).toContain(formatAmount(TOP_UP, 'ur-Latn'));
    expect(w.deliveredTo(phoneOf(2)).map((n) => n.lang)).toEqual(['en']);
    expect(w.deliveredTo(phoneOf(2))[0]?.text).toContain('Rs 7,500');
    expect(w.deliveredTo(phoneOf(3)).map((n) => n.lang)).toEqual(['ur']);
  });

  it('tells nobody when the campaign opted out, but keeps each phone for the payment notices', async () => {
    const w = world(declared({ notifyTopUps: false }));

    const result = await expandArea(w.deps, WORK);

    expect(result.enrolled).toBe(3);
    expect(w.queued).toEqual([]);
    const enrollment = w.store.claims.items.get(`${WORK.campaignId}|HH-T1`);
    expect(enrollment?.notify).toEqual({ phone: phoneOf(1), lang: 'ur' });
  });

  it('queues no notice twice when the page is redelivered or the campaign activated again', async () => {
    const w = world(declared());

    await expandArea(w.deps, WORK);
    const again = await expandArea(w.deps, WORK);

    expect(again.alreadyEnrolled).toBe(3);
    expect(w.queued).toHaveLength(3);
    for (const i of [1, 2, 3]) expect(w.deliveredTo(phoneOf(i))).toHaveLength(1);
  });

  it.each([
    ['between enrolling and queuing', 'expand.after-enroll', 0],
    ['between queuing and marking the page told', 'expand.after-notices', 3],
  ])(
    'tells each household once, as an uncrashed run does, after a crash %s',
    async (_, point, queuedByCrash) => {
      // Arrange: an uncrashed run, and a run killed at the point.
      const uncrashed = world(declared());
      await expandArea(uncrashed.deps, WORK);
      const crashed = world(declared());
      setCrashHook(crashOnceAt(point));

      // Act: the kill, then the queue's redelivery of the page.
      await expect(expandArea(crashed.deps, WORK)).rejects.toThrow(InjectedCrashError);
      const queuedBeforeResume = crashed.queued.length;
      await expandArea(crashed.deps, WORK);

      // Assert: what reached the phones and the enrollments are the uncrashed run's; a notice queued
      // twice went under its one id, which the aggregator refused.
      expect(queuedBeforeResume).toBe(queuedByCrash);
      expect([...crashed.delivered.values()]).toEqual([...uncrashed.delivered.values()]);
      expect(new Set(crashed.queued.map((n) => n.id)).size).toBe(3);
      expect([...crashed.store.claims.items.values()]).toEqual([...uncrashed.store.claims.items.values()]);
    },
  );
});
